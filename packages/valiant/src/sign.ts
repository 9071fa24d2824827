import { hmacSha256 } from '@keygate/core';
import { VALIANT_MEDIA_TYPE } from './headers.js';

/** What `signValiant` signs with. */
export interface ValiantSignInput {
  /** The client uuid Valiant issued (`X-AUTH-ID`). */
  readonly id: string;
  /** The API key that gets signed. */
  readonly key: string;
  /** The API secret the key is signed with. */
  readonly secret: string;
}

/**
 * The three headers every Valiant request carries. The signed key never changes for a given key and secret, so
 * compute it once; it is a bearer credential and must only travel over TLS.
 *
 * @example
 * const res = await fetch(`${base}/api/v1/authenticate`, { headers: signValiant({ id, key, secret }) });
 */
export function signValiant(input: ValiantSignInput): Record<string, string> {
  return {
    'X-AUTH-ID': input.id,
    'X-AUTH-SIGNED-KEY': hmacSha256(input.secret, [input.key]).toString('base64'),
    'Content-Type': VALIANT_MEDIA_TYPE,
  };
}
