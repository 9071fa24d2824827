const BUCKET_INTS = 16;
const BUCKET_BYTES = 64;
/** The smallest table: 4 buckets, 16 slots. */
export const MIN_TABLE_BUCKETS = 4;
/** Tables given back and not yet reused may hold up to this share of the allocated bytes (and 64 KiB in any case). */
const POOL_SHARE = 1 / 32;
const POOL_FLOOR_BYTES = 64 * 1024;

/**
 * Where the fingerprint table's segments get their typed arrays: sizes on a ladder of ratio √2 (4, 6, 8, 11, 16, 23,
 * ... buckets, up to a segment's share of the budget), and a table a segment leaves behind is kept for the next segment
 * that needs that size. Segments grow one rung at a time, so in a growing table as many tables leave each size as
 * arrive at it, and only net growth allocates: V8 counts every typed array's memory as external, and a stream of
 * fresh allocations made it start full collections (pauses of 2-7 ms measured at 10 million entries).
 *
 * `bytes` counts every table allocated, in use or kept; it never passes `maxBytes`: kept tables are dropped first.
 */
export class TablePool {
  /** Bytes of every table allocated and not yet dropped. */
  bytes = 0;
  readonly maxBuckets: number;
  readonly #maxBytes: number;
  /** Bucket counts of the sizes, ascending; the last is `maxBuckets`. */
  readonly #sizes: number[];
  readonly #sizeIndex = new Map<number, number>();
  readonly #kept: Int32Array[][];
  #keptBytes = 0;

  constructor(maxBuckets: number, maxBytes: number) {
    this.maxBuckets = maxBuckets;
    this.#maxBytes = maxBytes;
    const sizes: number[] = [];
    for (let rung = 0; ; rung++) {
      const buckets = Math.round(MIN_TABLE_BUCKETS * Math.SQRT2 ** rung);
      if (buckets >= maxBuckets) break;
      if (sizes.at(-1) !== buckets) sizes.push(buckets);
    }
    sizes.push(maxBuckets);
    this.#sizes = sizes;
    sizes.forEach((buckets, index) => this.#sizeIndex.set(buckets * BUCKET_INTS, index));
    this.#kept = sizes.map(() => []);
  }

  /** The rung of the smallest size of at least `buckets` (the largest size when none is). */
  rungFor(buckets: number): number {
    const sizes = this.#sizes;
    let rung = 0;
    while (rung < sizes.length - 1 && sizes[rung]! < buckets) rung++;
    return rung;
  }

  /** The rung of a table this pool made. */
  rungOf(table: Int32Array): number {
    return this.#sizeIndex.get(table.length)!;
  }

  get topRung(): number {
    return this.#sizes.length - 1;
  }

  /**
   * A zeroed table of rung `rung`: a kept one, or a new one if the budget pays for it, counting the `replacing` table
   * (whose place it takes) as already given back; undefined if it cannot.
   */
  take(rung: number, replacing = 0): Int32Array | undefined {
    const kept = this.#kept[rung]!.pop();
    if (kept !== undefined) {
      this.#keptBytes -= kept.byteLength;
      return kept.fill(0);
    }
    const bytes = this.#sizes[rung]! * BUCKET_BYTES;
    const over = (): boolean => this.bytes - replacing + bytes > this.#maxBytes;
    // Kept tables give way to a table in use.
    for (let r = this.#sizes.length - 1; r >= 0 && over(); r--) {
      while (this.#kept[r]!.length > 0 && over()) {
        const dropped = this.#kept[r]!.pop()!;
        this.#keptBytes -= dropped.byteLength;
        this.bytes -= dropped.byteLength;
      }
    }
    if (over()) return undefined;
    this.bytes += bytes;
    return new Int32Array(bytes / 4);
  }

  /** Takes back a table no segment uses any more: kept for reuse, or dropped when enough are kept. */
  give(table: Int32Array): void {
    if (this.#keptBytes + table.byteLength > Math.max(POOL_FLOOR_BYTES, this.bytes * POOL_SHARE)) {
      this.bytes -= table.byteLength; // dropped: the garbage collector frees it
      return;
    }
    this.#kept[this.rungOf(table)]!.push(table);
    this.#keptBytes += table.byteLength;
  }
}
