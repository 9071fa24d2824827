import {
  clockOption, hmacSha256, positiveInteger, secretLookup,
  type Clock, type Credential, type Hmac, type SecretLookup, type SecretStore,
} from '@keygate/core';

/** A Valiant client: the API `key` it signs and the `secret`s it signs with (several during a rotation). */
export interface ValiantCredential extends Credential {
  /** The API key the client signs. */
  readonly key: string;
}

/** Options of `valiant()`, checked once when it is called. */
export interface ValiantOptions {
  /** Client uuid (`X-AUTH-ID`) to credential. */
  readonly secrets: SecretStore<ValiantCredential>;
  /** How long a store may take before the request fails closed with 503 (default 2000 ms). */
  readonly storeTimeoutMs?: number;
  /** Clock in epoch milliseconds (default `Date.now`) for secrets' `notBefore` / `notAfter` windows. */
  readonly now?: Clock;
  /** HMAC seam for tests; default HMAC-SHA256 from node:crypto. */
  readonly hmac?: Hmac;
}

export interface ResolvedValiantOptions {
  readonly lookup: SecretLookup<ValiantCredential>;
  readonly computeHmac: Hmac;
}

/** Checks the options once, at construction: misuse is a TypeError at start-up, never a per-request surprise. */
export function resolveValiantOptions(options: ValiantOptions): ResolvedValiantOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('valiant() needs an options object with secrets');
  if (options.hmac !== undefined && typeof options.hmac !== 'function') throw new TypeError('hmac must be a function');
  const timeoutMs = positiveInteger('storeTimeoutMs', options.storeTimeoutMs, 2000);
  return {
    lookup: secretLookup(options.secrets, { timeoutMs, now: clockOption(options.now) }),
    computeHmac: options.hmac ?? hmacSha256,
  };
}
