import { clockOption, hmacSha256, type Clock } from '@keygate/core';

/** What `signLenme` signs with. */
export interface LenmeSignInput {
  /** The API key (`X-API-KEY`). */
  readonly apiKey: string;
  /** The API secret. */
  readonly secret: string;
  /** Clock in epoch milliseconds (default `Date.now`). */
  readonly now?: Clock;
}

/**
 * The three headers every Lenme request carries, computed like the vendor's clients: timestamp = whole unix
 * seconds, X-HMAC = lowercase hex HMAC-SHA256(secret, "<timestamp>:<secret>").
 *
 * @example
 * const res = await fetch(url, {
 *   method: 'POST',
 *   headers: { ...signLenme({ apiKey, secret }), 'content-type': 'application/json' },
 *   body: JSON.stringify({ amount: 50 }),
 * });
 */
export function signLenme(input: LenmeSignInput): Record<string, string> {
  const timestamp = String(Math.floor(clockOption(input.now)() / 1000));
  return {
    'X-API-KEY': input.apiKey,
    'X-Timestamp': timestamp,
    'X-HMAC': hmacSha256(input.secret, [`${timestamp}:${input.secret}`]).toString('hex'),
  };
}
