import {
  clockOption, hmacSha256, memoryNonceStore, positiveInteger, secretLookup,
  type Clock, type Credential, type Hmac, type NonceStore, type SecretLookup, type SecretStore,
} from '@keygate/core';

/** Options of `lenme()`, checked once when it is called. */
export interface LenmeOptions {
  /** API key (`X-API-KEY`) to credential; several secrets verify during a rotation. */
  readonly secrets: SecretStore<Credential>;
  /** How far `X-Timestamp` may be from now, either way, in seconds (default 300, the vendor's five minutes). */
  readonly toleranceSeconds?: number;
  /**
   * Refuse a second use of the same HMAC (default false). The vendor lets an HMAC be reused for its whole window;
   * with this on, each HMAC verifies once, so a client can send at most one request per second per key.
   */
  readonly singleUse?: boolean;
  /** Where single-use HMACs are remembered; default an in-memory store. Use `@keygate/redis` for several processes. */
  readonly nonces?: NonceStore;
  /** How long a store may take before the request fails closed with 503 (default 2000 ms). */
  readonly storeTimeoutMs?: number;
  /** Clock in epoch milliseconds (default `Date.now`): the timestamp window and secrets' `notBefore` / `notAfter`. */
  readonly now?: Clock;
  /** HMAC seam for tests; default HMAC-SHA256 from node:crypto. */
  readonly hmac?: Hmac;
}

export interface ResolvedLenmeOptions {
  readonly lookup: SecretLookup<Credential>;
  readonly toleranceSeconds: number;
  /** Undefined unless `singleUse` is on. */
  readonly nonces: NonceStore | undefined;
  readonly storeTimeoutMs: number;
  readonly now: Clock;
  readonly computeHmac: Hmac;
}

/** The default `toleranceSeconds`: the vendor's five minutes. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Checks the options once, at construction: misuse is a TypeError at start-up, never a per-request surprise. */
export function resolveLenmeOptions(options: LenmeOptions): ResolvedLenmeOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('lenme() needs an options object with secrets');
  const singleUse = options.singleUse ?? false;
  if (typeof singleUse !== 'boolean') throw new TypeError(`singleUse must be a boolean, got ${typeof singleUse}`);
  if (options.nonces !== undefined && typeof options.nonces?.claim !== 'function') {
    throw new TypeError('nonces must be a NonceStore (an object with claim())');
  }
  if (options.hmac !== undefined && typeof options.hmac !== 'function') throw new TypeError('hmac must be a function');
  const storeTimeoutMs = positiveInteger('storeTimeoutMs', options.storeTimeoutMs, 2000);
  const now = clockOption(options.now);
  return {
    lookup: secretLookup(options.secrets, { timeoutMs: storeTimeoutMs, now }),
    toleranceSeconds: positiveInteger('toleranceSeconds', options.toleranceSeconds, DEFAULT_TOLERANCE_SECONDS),
    nonces: singleUse ? (options.nonces ?? memoryNonceStore({ now })) : undefined,
    storeTimeoutMs,
    now,
    computeHmac: options.hmac ?? hmacSha256,
  };
}
