const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

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
  const padding = (3 - (bytes % 3)) % 3;
  return unusedBitsClear(BASE64_ALPHABET.indexOf(text.charAt(text.length - padding - 1)), bytes) ? decoded : undefined;
}

/**
 * Decodes canonical unpadded base64url (the JWS encoding) of exactly `bytes` bytes. Rejects the standard alphabet,
 * padding, whitespace and non-zero unused bits, all of which `Buffer.from(s, 'base64url')` silently accepts.
 */
export function decodeBase64Url(text: string, bytes: number): Buffer | undefined {
  if (text.length !== Math.ceil((bytes * 4) / 3) || !BASE64URL.test(text)) return undefined;
  const decoded = Buffer.from(text, 'base64url');
  if (decoded.length !== bytes) return undefined;
  return unusedBitsClear(BASE64URL_ALPHABET.indexOf(text.charAt(text.length - 1)), bytes) ? decoded : undefined;
}

/**
 * Right length and alphabet, so the only other spellings of these bytes set the bits the last data character carries
 * beyond the data (2 when bytes % 3 is 2, 4 when it is 1): they must be zero. Same answer as re-encoding and comparing.
 */
function unusedBitsClear(lastIndex: number, bytes: number): boolean {
  const remainder = bytes % 3;
  return remainder === 0 || (lastIndex & (remainder === 2 ? 0b11 : 0b1111)) === 0;
}
