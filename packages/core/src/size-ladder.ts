/** The smallest table: 4 buckets, 16 slots. */
export const MIN_TABLE_BUCKETS = 4;

/**
 * Table sizes in buckets on a ladder of ratio √2 (4, 6, 8, 11, 16, 23, 32, 45, ...), the last rung `maxBuckets`: a
 * segment grows one rung at a time, so it never holds much more room than its entries need.
 */
export function sizeLadder(maxBuckets: number): number[] {
  const sizes: number[] = [];
  for (let rung = 0; ; rung++) {
    const buckets = Math.round(MIN_TABLE_BUCKETS * Math.SQRT2 ** rung);
    if (buckets >= maxBuckets) break;
    if (sizes.at(-1) !== buckets) sizes.push(buckets);
  }
  sizes.push(maxBuckets);
  return sizes;
}

/** The rung of the smallest size of at least `buckets` (the largest size when none is). */
export function rungFor(sizes: readonly number[], buckets: number): number {
  let rung = 0;
  while (rung < sizes.length - 1 && sizes[rung]! < buckets) rung++;
  return rung;
}
