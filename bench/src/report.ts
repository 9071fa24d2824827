import { cpus } from 'node:os';

/** A plain-text table: a header row, a rule, right-aligned numbers, left-aligned text. */
export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? '').length)));
  const numeric = headers.map((_, c) => rows.length > 0 && rows.every((row) => typeof row[c] === 'number' || /^[\d.,x%+-]+( \S+)?$/.test(String(row[c]))));
  const line = (row: readonly string[]): string =>
    row.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function fixed(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

export function ratio(value: number, digits = 2): string {
  return `${fixed(value, digits)}x`;
}

export function int(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';
}

export function machine(): { readonly cores: number; readonly cpu: string; readonly node: string } {
  return { cores: cpus().length, cpu: cpus()[0]?.model.trim() ?? 'unknown', node: process.version };
}

/** One DESIGN section 7 target and whether this run's figure meets it. */
export interface Target {
  readonly figure: string;
  readonly key: string;
  readonly value: number | null;
  readonly rule: string;
  readonly holds: boolean | null;
}

export function target(figure: string, key: string, value: number | null, rule: string, test: (v: number) => boolean): Target {
  return { figure, key, value, rule, holds: value === null || !Number.isFinite(value) ? null : test(value) };
}
