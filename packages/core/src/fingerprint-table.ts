/**
 * A bounded set of 96-bit fingerprints, each live until the end of its expiry slice, in typed arrays sized by bytes.
 *
 * The space is cut into segments (picked by 32 fingerprint bits the table does not store); each segment is a
 * bucketised cuckoo hash table of its own: four 16-byte slots (three fingerprint words, one expiry slice) per 64-byte
 * bucket, every fingerprint with two candidate buckets. So:
 * - a lookup reads two buckets whatever the fill, and never depends on a probe chain;
 * - an expired slot is a free slot as it stands: expiry is one comparison against the current slice, whole slices
 *   at a time, with no scan and no deletion;
 * - memory follows the live entries: a segment is rebuilt at a size that fits its live entries (load 0.49 to 0.65,
 *   drawn at random so that segments do not all grow at once and the whole table's load stays even) when its inserts
 *   reach 0.92 of its slots; a segment holds at most a few thousand entries, so a rebuild is a pause of tens of
 *   microseconds, never a rehash of the whole set.
 * A segment at its share of the byte budget is never rebuilt larger: an entry that finds no slot there is refused,
 * and no live entry is ever dropped to make room.
 */
export const SLOT_BYTES = 16;
const BUCKET_BYTES = 64;
const BUCKET_INTS = 16;
const MIN_BUCKETS = 4;
/** A full-size segment: 1024 buckets, 64 KiB, 4096 slots (more only past 65 536 segments, above 4 GiB). */
const SEGMENT_BUCKETS = 1024;
const MAX_SEGMENTS = 65_536;
/** Share of the slots the table counts as its capacity: cuckoo tables with four-slot buckets fill to about 0.97. */
export const FULL_LOAD = 0.9;
const REBUILD_LOAD = 0.92;
const TARGET_LOAD = 0.65;
/** The target load of a rebuild is TARGET_LOAD times 1 - TARGET_SPREAD * u, u uniform in [0, 1). */
const TARGET_SPREAD = 0.25;
const MAX_KICKS = 64;

/** What a claim did: inserted the fingerprint, found it live already, or found no room. */
export type ClaimResult = typeof INSERTED | typeof PRESENT | typeof FULL;
export const INSERTED = 0;
export const PRESENT = 1;
export const FULL = 2;

export class FingerprintTable {
  /** Live entries the table accepts at most, across all segments (FULL_LOAD of the slots the budget pays for). */
  readonly capacity: number;
  /** Bytes of slot storage allocated now. */
  bytes = 0;
  /** Each segment's slots, allocated on its first insert; 16 ints (a, b, c, expiry four times) per bucket. */
  readonly #tables: (Int32Array | undefined)[];
  /** Per segment, inserts since its last rebuild plus the live entries it kept: an upper bound on its live entries. */
  readonly #inserted: Int32Array;
  /** Per segment, the value of #inserted at which it is rebuilt. */
  readonly #rebuildAt: Int32Array;
  readonly #segmentMask: number;
  readonly #maxBuckets: number;
  readonly #path = new Int32Array(MAX_KICKS);
  #random = (Math.random() * 0x7fffffff) | 1;

  constructor(maxBytes: number) {
    const buckets = Math.floor(maxBytes / BUCKET_BYTES);
    let segments = 1;
    while (segments < MAX_SEGMENTS && segments * 2 * SEGMENT_BUCKETS <= buckets) segments *= 2;
    this.#maxBuckets = Math.floor(buckets / segments);
    if (this.#maxBuckets < MIN_BUCKETS) throw new TypeError(`maxBytes must be at least ${MIN_BUCKETS * BUCKET_BYTES}`);
    this.#tables = new Array<Int32Array | undefined>(segments).fill(undefined);
    this.#inserted = new Int32Array(segments);
    this.#rebuildAt = new Int32Array(segments);
    this.#segmentMask = segments - 1;
    this.capacity = Math.floor(segments * this.#maxBuckets * 4 * FULL_LOAD);
  }

  /**
   * Inserts fingerprint (a, b, c), live while the current slice is below `expiry`, unless a live twin is present.
   * `spread` picks the segment. Refuses with Full when `mayInsert` is false or the segment has no room.
   */
  claim(a: number, b: number, c: number, spread: number, expiry: number, current: number, mayInsert: boolean): ClaimResult {
    const segment = spread & this.#segmentMask;
    let t = this.#tables[segment];
    if (t === undefined) {
      if (!mayInsert) return FULL;
      t = this.#tables[segment] = new Int32Array(MIN_BUCKETS * BUCKET_INTS);
      this.bytes += t.byteLength;
      this.#rebuildAt[segment] = Math.floor(MIN_BUCKETS * 4 * REBUILD_LOAD);
    }
    const buckets = t.length / BUCKET_INTS;
    const b1 = bucketOf(b, buckets);
    const b2 = otherBucket(c, b1, buckets);
    let free = -1;
    for (let base = b1 * BUCKET_INTS, pass = 0; pass < 2; pass++, base = b2 * BUCKET_INTS) {
      for (let slot = base; slot < base + BUCKET_INTS; slot += 4) {
        if (t[slot + 3]! > current) {
          if (t[slot] === a && t[slot + 1] === b && t[slot + 2] === c) return PRESENT;
        } else if (free < 0) free = slot;
      }
    }
    if (!mayInsert) return FULL;
    if (this.#inserted[segment]! >= this.#rebuildAt[segment]!) {
      t = this.#rebuild(segment, current, MIN_BUCKETS);
      free = -1; // the buckets moved
    }
    if (free >= 0) write(t, free, a, b, c, expiry);
    else {
      // No room even by displacement (a small table can crowd on a few bucket pairs): grow while the budget allows.
      while (!this.#place(t, a, b, c, expiry, current)) {
        const size = t.length / BUCKET_INTS;
        if (size >= this.#maxBuckets) return FULL;
        const before: Int32Array = t;
        t = this.#rebuild(segment, current, grown(size, this.#maxBuckets));
        if (t === before) return FULL; // no larger table could hold the live entries
      }
    }
    this.#inserted[segment]!++;
    return INSERTED;
  }

  /**
   * Moves a segment's live entries into a table sized for them (at least `minBuckets`, within the segment's share of
   * the budget) and returns it. The old table stays until every live entry is placed, so none is ever lost.
   */
  #rebuild(segment: number, current: number, minBuckets: number): Int32Array {
    const old = this.#tables[segment]!;
    let live = 0;
    for (let slot = 3; slot < old.length; slot += 4) if (old[slot]! > current) live++;
    const load = TARGET_LOAD * (1 - (TARGET_SPREAD * (this.#next() >>> 8)) / 0x1000000);
    let buckets = Math.min(this.#maxBuckets, Math.max(minBuckets, Math.ceil(live / (4 * load))));
    let table = old;
    for (;;) {
      const fresh = new Int32Array(buckets * BUCKET_INTS);
      let placed = true;
      for (let slot = 0; slot < old.length && placed; slot += 4) {
        if (old[slot + 3]! > current) placed = this.#place(fresh, old[slot]!, old[slot + 1]!, old[slot + 2]!, old[slot + 3]!, current);
      }
      if (placed) {
        this.bytes += fresh.byteLength - old.byteLength;
        table = this.#tables[segment] = fresh;
        break;
      }
      if (buckets >= this.#maxBuckets) break; // keep the old table: it still holds every live entry
      buckets = grown(buckets, this.#maxBuckets);
    }
    const slots = table.length / 4;
    this.#inserted[segment] = live;
    // At least a fifth of the slots between rebuilds, so a segment at its budget is not rebuilt on every insert.
    this.#rebuildAt[segment] = Math.max(Math.floor(slots * REBUILD_LOAD), live + Math.ceil(slots / 5));
    return table;
  }

  /** Puts an entry in a free slot of its buckets, displacing others along a random walk; false (nothing moved) when none is found. */
  #place(t: Int32Array, a: number, b: number, c: number, expiry: number, current: number): boolean {
    const buckets = t.length / BUCKET_INTS;
    let bucket = bucketOf(b, buckets);
    const second = otherBucket(c, bucket, buckets);
    let free = freeSlot(t, bucket, current);
    if (free < 0) free = freeSlot(t, second, current);
    if (free >= 0) {
      write(t, free, a, b, c, expiry);
      return true;
    }
    const path = this.#path;
    if (this.#next() & 1) bucket = second;
    let kicks = 0;
    while (kicks < MAX_KICKS) {
      const slot = bucket * BUCKET_INTS + 4 * (this.#next() & 3);
      path[kicks++] = slot;
      const ka = t[slot]!, kb = t[slot + 1]!, kc = t[slot + 2]!, ke = t[slot + 3]!;
      write(t, slot, a, b, c, expiry);
      a = ka; b = kb; c = kc; expiry = ke;
      const home = bucketOf(b, buckets);
      bucket = home === bucket ? otherBucket(c, home, buckets) : home;
      free = freeSlot(t, bucket, current);
      if (free >= 0) {
        write(t, free, a, b, c, expiry);
        return true;
      }
    }
    // Walk back, so every entry displaced is where it was.
    while (kicks > 0) {
      const slot = path[--kicks]!;
      const ka = t[slot]!, kb = t[slot + 1]!, kc = t[slot + 2]!, ke = t[slot + 3]!;
      write(t, slot, a, b, c, expiry);
      a = ka; b = kb; c = kc; expiry = ke;
    }
    return false;
  }

  /** xorshift32: which slot to displace needs no quality, only to differ from walk to walk. */
  #next(): number {
    let x = this.#random;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (this.#random = x);
  }
}

function grown(buckets: number, max: number): number {
  return Math.min(max, Math.ceil(buckets * 1.25) + 1);
}

function bucketOf(word: number, buckets: number): number {
  return Math.floor(((word >>> 0) * buckets) / 4294967296);
}

/** The second bucket, always another one than the first. */
function otherBucket(word: number, first: number, buckets: number): number {
  const bucket = bucketOf(word, buckets);
  if (bucket !== first) return bucket;
  return first + 1 === buckets ? 0 : first + 1;
}

function freeSlot(t: Int32Array, bucket: number, current: number): number {
  const base = bucket * BUCKET_INTS;
  for (let slot = base; slot < base + BUCKET_INTS; slot += 4) if (t[slot + 3]! <= current) return slot;
  return -1;
}

function write(t: Int32Array, slot: number, a: number, b: number, c: number, expiry: number): void {
  t[slot] = a;
  t[slot + 1] = b;
  t[slot + 2] = c;
  t[slot + 3] = expiry;
}
