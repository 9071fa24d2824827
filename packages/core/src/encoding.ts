const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Decodes hex of exactly `bytes` bytes, either case. Anything else (odd length, other characters, wrong length)
 * returns undefined instead of the truncated prefix `Buffer.from(s, 'hex')` would give.
 */
export function decodeHex(text: string, bytes: number): Buffer | undefined {
  // Buffer.from(text, 'hex') stops at the first pair that is not hex, so a full-length result means every character
  // was a hex digit, provided every character is ASCII: of a wider one it reads only the low byte ('İ' would pass as
  // '0'). All-ASCII is exactly "UTF-8 length equals string length". Cheaper than a regular expression over the text.
  if (text.length !== bytes * 2 || Buffer.byteLength(text, 'utf8') !== text.length) return undefined;
  const decoded = Buffer.from(text, 'hex');
  return decoded.length === bytes ? decoded : undefined;
}

/**
 * Decodes canonical, padded standard base64 of exactly `bytes` bytes. Rejects the URL alphabet, missing padding,
 * whitespace and non-zero padding bits, all of which `Buffer.from(s, 'base64')` silently accepts.
 */
export function decodeBase64(text: string, bytes: number): Buffer | undefined {
  if (text.length !== Math.ceil(bytes / 3) * 4 || !BASE64.test(text)) return undefined;
  const decoded = Buffer.from(text, 'base64');
  if (decoded.length !== bytes) return undefined;
  // Right length and alphabet, so the only other spelling of these bytes sets the bits the last character carries
  // beyond the data (2 with one '=', 4 with two): they must be zero. Same answer as re-encoding and comparing.
  const padding = (3 - (bytes % 3)) % 3;
  if (padding === 0) return decoded;
  const last = BASE64_ALPHABET.indexOf(text.charAt(text.length - padding - 1));
  return (last & (padding === 1 ? 0b11 : 0b1111)) === 0 ? decoded : undefined;
}
