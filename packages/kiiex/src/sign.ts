import { randomBytes } from 'node:crypto';
import { hmacSha256 } from '@keygate/core';

/** What `signKiiex` signs with. */
export interface KiiexSignInput {
  /** The API key (`APIKey`). */
  readonly apiKey: string;
  /** The API secret. */
  readonly secret: string;
  /** The user the key belongs to (`UserId`). */
  readonly userId: number | string;
  /** Default: 16 random bytes as hex. A key export's static nonce works only where `allowStaticNonce` is on. */
  readonly nonce?: string;
}

/** The AuthenticateUser fields, named as the vendor names them: usable as headers or as the JSON body. */
export interface KiiexAuthFields {
  /** The API key. */
  readonly APIKey: string;
  /** Lower-case hex HMAC-SHA256(secret, Nonce + UserId + APIKey). */
  readonly Signature: string;
  /** The user id, as a decimal string. */
  readonly UserId: string;
  /** The nonce signed with, single-use per APIKey. */
  readonly Nonce: string;
}

/**
 * Signs an AuthenticateUser call the way the vendor documents it: Signature = hex HMAC-SHA256(secret,
 * Nonce + UserId + APIKey). Send the result as headers or as the JSON body.
 *
 * @example
 * const fields = signKiiex({ apiKey, secret, userId: 42 });
 * await fetch(`${base}/AuthenticateUser`, { method: 'POST', headers: { ...fields } });
 * await fetch(`${base}/AuthenticateUser`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(signKiiex({ apiKey, secret, userId: 42 })) });
 */
export function signKiiex(input: KiiexSignInput): KiiexAuthFields {
  const nonce = input.nonce ?? randomBytes(16).toString('hex');
  const userId = String(input.userId);
  const signature = hmacSha256(input.secret, [nonce, userId, input.apiKey]).toString('hex');
  return { APIKey: input.apiKey, Signature: signature, UserId: userId, Nonce: nonce };
}
