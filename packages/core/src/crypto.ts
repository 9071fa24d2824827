import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A key or message part for an HMAC or hash: a string (hashed as UTF-8) or bytes. */
export type HmacInput = string | Uint8Array;

/**
 * The one seam through which every scheme computes an HMAC. Tests inject a counting wrapper to prove that an unknown
 * key id and a known id with a bad signature do the same work.
 */
export type Hmac = (key: HmacInput, parts: readonly HmacInput[]) => Buffer;

/** HMAC-SHA256 of the concatenated `parts` under `key`, with node:crypto: the default `Hmac` of every scheme. */
export const hmacSha256: Hmac = (key, parts) => {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
};

/** The SHA-256 digest of `data`. */
export function sha256(data: HmacInput): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Constant-time equality for byte arrays; unequal lengths are public (both sides are fixed-size digests). */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && timingSafeEqual(a, b);
}

/** Compares two strings of any length without leaking where they differ or how long the secret one is. */
export function constantTimeEqualStrings(provided: string, expected: string): boolean {
  return timingSafeEqual(sha256(provided), sha256(expected));
}

/** A process-wide stand-in secret, so an unknown key id still costs one HMAC like a known one. */
export const DUMMY_SECRET = randomBytes(32).toString('hex');
