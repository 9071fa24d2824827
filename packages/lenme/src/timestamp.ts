/**
 * Digits a timestamp may have. 15 keeps every accepted value a safe integer and still lets a milliseconds value
 * (13 digits) parse, so it is refused as "Timestamp out of range" like the vendor's `int()` would, not as malformed.
 */
export const MAX_TIMESTAMP_DIGITS = 15;

const CANONICAL = /^(?:0|[1-9][0-9]*)$/;

/**
 * Parses `X-Timestamp`: canonical unix seconds only (what `str(int(time.time()))` prints). Decimals, signs, spaces,
 * leading zeros, exponents and anything longer than `MAX_TIMESTAMP_DIGITS` give undefined. Never throws.
 *
 * @example
 * parseTimestamp('1700000000'); // 1700000000
 * parseTimestamp('1700000000.5'); // undefined
 */
export function parseTimestamp(text: string): number | undefined {
  if (typeof text !== 'string' || text.length > MAX_TIMESTAMP_DIGITS || !CANONICAL.test(text)) return undefined;
  return Number(text);
}
