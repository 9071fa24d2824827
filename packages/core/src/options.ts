/** Option checks run once in a factory; misuse is a TypeError at start-up, never a surprise per request. */
export function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isSafeInteger(resolved) || resolved <= 0) {
    throw new TypeError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return resolved;
}

/** Like `positiveInteger`, with 0 allowed. */
export function nonNegativeInteger(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isSafeInteger(resolved) || resolved < 0) {
    throw new TypeError(`${name} must be a non-negative integer, got ${String(value)}`);
  }
  return resolved;
}

/** A clock returning epoch milliseconds, like `Date.now`; tests inject a fixed one. */
export type Clock = () => number;

/** Checks a `now` option once: `Date.now` when absent, a TypeError when not a function. */
export function clockOption(now: Clock | undefined): Clock {
  if (now === undefined) return Date.now;
  if (typeof now !== 'function') throw new TypeError('now must be a function returning epoch milliseconds');
  return now;
}

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Parses a body limit: a byte count or a string such as '512kb' or '1mb' (binary units, like body-parser). */
export function parseByteLimit(name: string, value: number | string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return positiveInteger(name, value, fallback);
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(typeof value === 'string' ? value : '');
  const bytes = match ? Math.floor(Number(match[1]) * (UNITS[(match[2] ?? 'b').toLowerCase()] ?? 1)) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new TypeError(`${name} must be a positive byte count or a string like '1mb', got ${JSON.stringify(value)}`);
  }
  return bytes;
}
