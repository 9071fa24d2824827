import {
  clockOption, hmacSha256, memoryNonceStore, positiveInteger, secretLookup,
  type Clock, type Credential, type Hmac, type NonceStore, type SecretLookup, type SecretStore,
} from '@keygate/core';

/** Inqud's two ways to authenticate: `hmac` (signature over body + salt) and `simple` (the secret itself, TLS only). */
export type InqudMode = 'hmac' | 'simple';

/** Options of `inqud()`, checked once when it is called. */
export interface InqudOptions {
  /** Token id (`TKN-…`) to credential. */
  readonly secrets: SecretStore<Credential>;
  /** Accepted modes (default both, as the vendor documents both). */
  readonly modes?: readonly InqudMode[];
  /** Remembers salts; default an in-memory store. Use `@keygate/redis` when several processes serve the API. */
  readonly nonces?: NonceStore;
  /** How long a salt stays used (default 24 h). Inqud signs no timestamp, so this bounds replay. */
  readonly saltRetentionMs?: number;
  /** How long a store may take before the request fails closed with 503 (default 2000 ms). */
  readonly storeTimeoutMs?: number;
  /** Clock in epoch milliseconds (default `Date.now`): salt expiry and secrets' `notBefore` / `notAfter`. */
  readonly now?: Clock;
  /** HMAC seam for tests; default HMAC-SHA256 from node:crypto. */
  readonly hmac?: Hmac;
}

export interface ResolvedInqudOptions {
  readonly lookup: SecretLookup<Credential>;
  readonly hmac: boolean;
  readonly simple: boolean;
  readonly nonces: NonceStore;
  readonly saltRetentionMs: number;
  readonly storeTimeoutMs: number;
  readonly computeHmac: Hmac;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

export function resolveInqudOptions(options: InqudOptions): ResolvedInqudOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('inqud() needs an options object with secrets');
  const modes = options.modes ?? ['hmac', 'simple'];
  if (!Array.isArray(modes) || modes.length === 0 || modes.some((m) => m !== 'hmac' && m !== 'simple')) {
    throw new TypeError(`modes must be a non-empty array of 'hmac' and 'simple', got ${JSON.stringify(modes)}`);
  }
  const storeTimeoutMs = positiveInteger('storeTimeoutMs', options.storeTimeoutMs, 2000);
  const now = clockOption(options.now);
  return {
    lookup: secretLookup(options.secrets, { timeoutMs: storeTimeoutMs, now }),
    hmac: modes.includes('hmac'),
    simple: modes.includes('simple'),
    nonces: options.nonces ?? memoryNonceStore({ now }),
    saltRetentionMs: positiveInteger('saltRetentionMs', options.saltRetentionMs, DAY_MS),
    storeTimeoutMs,
    computeHmac: options.hmac ?? hmacSha256,
  };
}
