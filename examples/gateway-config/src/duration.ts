const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration from the environment: milliseconds as a plain integer, or an integer with a unit (`500ms`, `30s`, `90m`,
 * `24h`, `7d`). Anything else, or zero, is a start-up error naming the variable.
 *
 * @example
 * parseDuration('24h', 'KEYGATE_INQUD_SALT_RETENTION'); // 86_400_000
 */
export function parseDuration(value: string, name: string): number {
  const match = /^\s*(\d+)\s*(ms|s|m|h|d)?\s*$/.exec(value);
  const ms = match === null ? NaN : Number(match[1]) * UNITS[match[2] ?? 'ms']!;
  if (!Number.isSafeInteger(ms) || ms <= 0) {
    throw new Error(`${name} must be a positive duration such as 86400000, 30s, 90m, 24h or 7d, got ${JSON.stringify(value)}`);
  }
  return ms;
}
