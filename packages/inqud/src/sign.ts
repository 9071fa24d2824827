import { randomBytes } from 'node:crypto';
import { hmacSha256 } from '@keygate/core';

/** What `signInqud` signs with. */
export interface InqudSignInput {
  /** The API token id (`TKN-…`). */
  readonly tokenId: string;
  /** The token's secret. */
  readonly secret: string;
  /** The exact bytes you send; empty for GET. */
  readonly body?: string | Uint8Array;
  /** Default: 32 random bytes as hex, like the vendor's `secrets.token_hex(32)`. */
  readonly salt?: string;
}

/**
 * Headers for an HMAC-signed Inqud request, exactly as the vendor's client sends them.
 *
 * @example
 * const body = JSON.stringify({ amount: 50 });
 * await fetch(url, { method: 'POST', body, headers: { ...signInqud({ tokenId, secret, body }), 'content-type': 'application/json' } });
 */
export function signInqud(input: InqudSignInput): Record<string, string> {
  const salt = input.salt ?? randomBytes(32).toString('hex');
  const signature = hmacSha256(input.secret, [input.body ?? '', salt]).toString('hex');
  return { 'X-Token-API-Id': input.tokenId, 'X-HMAC-SHA256-Signature': signature, 'X-Salt': salt };
}

/** Headers for Inqud's simple mode: the secret itself travels, so only ever over TLS. */
export function inqudSimpleHeaders(input: { readonly tokenId: string; readonly secret: string }): Record<string, string> {
  return { 'X-Token-API-Id': input.tokenId, 'X-Token-API-Secret': input.secret };
}
