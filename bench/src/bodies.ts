/** Body sizes of the micro benchmark: empty (a GET), a typical API call, a large payload, the default limit. */
export const MICRO_SIZES = [0, 1024, 64 * 1024, 1024 * 1024] as const;

export function sizeLabel(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}

/** Compact key for the JSON line: 0B, 1KiB, 64KiB, 1MiB. */
export function sizeKey(bytes: number): string {
  return sizeLabel(bytes).replace(' ', '');
}

/**
 * A JSON body of exactly `bytes` bytes (compact, so `JSON.stringify(JSON.parse(b))` gives the same bytes back):
 * an array of payment-like records, then a padding string to hit the size. Empty for 0.
 */
export function jsonBody(bytes: number): Buffer {
  if (bytes === 0) return Buffer.alloc(0);
  const record = (i: number): unknown =>
    ({ id: i, reference: `ref-${String(i).padStart(8, '0')}`, amount: ((i * 37) % 10_000) / 100, currency: 'USDT', tags: ['payout', 'bench'] });
  // Each record is under 100 bytes; stop adding them while there is still room for the frame and some padding.
  const items: unknown[] = [];
  for (let used = 20; used + 200 < bytes; used += JSON.stringify(record(items.length)).length + 1) items.push(record(items.length));
  const base = JSON.stringify({ items, pad: '' }).length;
  if (base > bytes) throw new Error(`cannot build a ${bytes}-byte JSON body`);
  const body = Buffer.from(JSON.stringify({ items, pad: 'x'.repeat(bytes - base) }));
  if (body.length !== bytes) throw new Error(`built ${body.length} bytes instead of ${bytes}`);
  return body;
}
