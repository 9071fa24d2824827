import { MIN_TABLE_BUCKETS, rungFor, sizeLadder } from './size-ladder.js';

/**
 * A bounded set of 96-bit fingerprints, each live until the end of its expiry slice, in typed arrays sized by bytes.
 *
 * The space is cut into segments (picked by 32 fingerprint bits the table does not store); each segment is a
 * bucketised cuckoo hash table of its own: four 16-byte slots (three fingerprint words, one expiry slice) per 64-byte
 * bucket, every fingerprint with two candidate buckets, its home bucket first. So:
 * - a lookup reads at most two buckets whatever the fill, and never depends on a probe chain; a bucket whose own
 *   entries never had to move to their second bucket says so in one bit, and a lookup that misses there stops
 *   after one bucket;
 * - an expired slot is a free slot as it stands: expiry is one comparison against the current slice, whole slices
 *   at a time, with no scan and no deletion;
 * - a claim allocates nothing. The whole budget is reserved once, at construction, as a few large zeroed
 *   ArrayBuffers; the operating system backs a page only when it is first written. The segments of an arena are
 *   interleaved bucket by bucket (bucket b of every segment, then bucket b + 1 of every segment), so while all tables
 *   are small they share the first pages: resident memory follows the live entries from the first ones on, where a
 *   region per segment cost a page per segment (16 MiB of a young default store, and a page fault for most of its
 *   first claims).
 *   Allocating tables as segments grew made V8 finish a collection at that allocation (pauses of 3-6 ms measured at
 *   10 million entries), inside the claim that grew;
 * - a segment's table is the first rung of a √2 size ladder that holds its entries (see sizeLadder) and lives at the
 *   first buckets of its share. It is rebuilt, into one scratch table and copied back, at the size that fits its live
 *   entries at load 0.75 at most (one rung up from a full segment), when its inserts reach a share of its slots drawn
 *   at random from 0.88 to 0.96, so that segments do not all grow at once and the whole table's load stays even; a
 *   segment holds at most a few thousand entries, so a rebuild never rehashes the whole set. A segment of fewer than
 *   128 live entries grows several rungs at once (load 0.3 at most): a few kilobytes that spare a young store most of
 *   its rebuilds.
 * A segment at its share of the byte budget is never rebuilt larger: an entry that finds no slot there is refused,
 * and no live entry is ever dropped to make room.
 */
export const SLOT_BYTES = 16;
const BUCKET_BYTES = 64;
const BUCKET_INTS = 16;
/** A full-size segment: 1024 buckets, 64 KiB, 4096 slots (more only past 65 536 segments, above 4 GiB). */
const SEGMENT_BUCKETS = 1024;
const MAX_SEGMENTS = 65_536;
/** The most one reserved ArrayBuffer holds; a larger budget is reserved as several. */
const MAX_ARENA_BYTES = 1024 * 1024 * 1024;
/** Share of the slots the table counts as its capacity: cuckoo tables with four-slot buckets fill to about 0.97. */
export const FULL_LOAD = 0.9;
/** A segment is rebuilt when its inserts reach a share of its slots drawn from [REBUILD_LOAD_MIN, REBUILD_LOAD_MAX). */
const REBUILD_LOAD_MIN = 0.88;
const REBUILD_LOAD_MAX = 0.96;
/** A rebuilt segment gets the smallest size that holds its live entries at this load or less. */
const TARGET_LOAD = 0.75;
/** Below this many live entries a segment is rebuilt at SMALL_TARGET_LOAD instead. */
const SMALL_SEGMENT = 128;
const SMALL_TARGET_LOAD = 0.3;
const MAX_KICKS = 64;
/** Bit 31 of a bucket's first expiry word: some entry whose home is this bucket sits in its second bucket. */
const OVERFLOW = 0x80000000 | 0;
const EXPIRY = 0x7fffffff;

/** What a claim did: inserted the fingerprint, found it live already, or found no room. */
export type ClaimResult = typeof INSERTED | typeof PRESENT | typeof FULL;
export const INSERTED = 0;
export const PRESENT = 1;
export const FULL = 2;

export class FingerprintTable {
  /** Live entries the table accepts at most, across all segments (FULL_LOAD of the slots the budget pays for). */
  readonly capacity: number;

  /** The reserved budget, `1 << #arenaShift` segments per arena, interleaved: bucket b of a segment is `#stride` ints after bucket b - 1. */
  readonly #arenas: Int32Array[];
  readonly #arenaShift: number;
  readonly #stride: number;
  /** Per segment, the buckets of its table now; 0 until its first insert. */
  readonly #buckets: Int32Array;
  /** Per segment, inserts since its last rebuild plus the live entries it kept: an upper bound on its live entries. */
  readonly #inserted: Int32Array;
  /** Per segment, the value of #inserted at which it is rebuilt. */
  readonly #rebuildAt: Int32Array;
  /** Per segment, the most buckets its table ever had: how far into its share it has written. */
  readonly #reached: Int32Array;
  #reachedBytes = 0;
  readonly #segmentMask: number;
  /** Table sizes in buckets, and per size a view of the scratch table a rebuild builds in. */
  readonly #sizes: number[];
  readonly #scratch: Int32Array[];
  readonly #path = new Int32Array(MAX_KICKS);
  #random = (Math.random() * 0x7fffffff) | 1;

  constructor(maxBytes: number) {
    const buckets = Math.floor(maxBytes / BUCKET_BYTES);
    let segments = 1;
    while (segments < MAX_SEGMENTS && segments * 2 * SEGMENT_BUCKETS <= buckets) segments *= 2;
    const maxBuckets = Math.floor(buckets / segments);
    if (maxBuckets < MIN_TABLE_BUCKETS) throw new TypeError(`maxBytes must be at least ${MIN_TABLE_BUCKETS * BUCKET_BYTES}`);
    let perArena = segments;
    while (perArena > 1 && perArena * maxBuckets * BUCKET_BYTES > MAX_ARENA_BYTES) perArena /= 2;
    this.#arenaShift = Math.log2(perArena);
    this.#stride = perArena * BUCKET_INTS;
    this.#arenas = Array.from({ length: segments / perArena }, () => new Int32Array(perArena * maxBuckets * BUCKET_INTS));
    this.#buckets = new Int32Array(segments);
    this.#inserted = new Int32Array(segments);
    this.#rebuildAt = new Int32Array(segments);
    this.#reached = new Int32Array(segments);
    this.#segmentMask = segments - 1;
    this.#sizes = sizeLadder(maxBuckets);
    const scratch = new Int32Array(maxBuckets * BUCKET_INTS);
    this.#scratch = this.#sizes.map((size) => scratch.subarray(0, size * BUCKET_INTS));
    this.capacity = Math.floor(segments * maxBuckets * 4 * FULL_LOAD);
  }

  /**
   * Inserts fingerprint (a, b, c), live while the current slice is below `expiry`, unless a live twin is present.
   * `spread` picks the segment. Refuses with Full when `mayInsert` is false or the segment has no room.
   */
  claim(a: number, b: number, c: number, spread: number, expiry: number, current: number, mayInsert: boolean): ClaimResult {
    const segment = spread & this.#segmentMask;
    const t = this.#arenas[segment >>> this.#arenaShift]!;
    const base = (segment & ((1 << this.#arenaShift) - 1)) * BUCKET_INTS;
    const stride = this.#stride;
    let buckets = this.#buckets[segment]!;
    if (buckets === 0) {
      if (!mayInsert) return FULL;
      buckets = this.#resize(segment, 0);
      this.#rebuildAt[segment] = this.#rebuildPoint(buckets, 0);
    }
    const home = bucketOf(b, buckets);
    const homeBase = base + home * stride;
    let free = -1;
    for (let slot = homeBase; slot < homeBase + BUCKET_INTS; slot += 4) {
      if ((t[slot + 3]! & EXPIRY) > current) {
        if (t[slot] === a && t[slot + 1] === b && t[slot + 2] === c) return PRESENT;
      } else if (free < 0) free = slot;
    }
    if ((t[homeBase + 3]! & OVERFLOW) !== 0) {
      const other = base + otherBucket(c, home, buckets) * stride;
      for (let slot = other; slot < other + BUCKET_INTS; slot += 4) {
        if ((t[slot + 3]! & EXPIRY) > current && t[slot] === a && t[slot + 1] === b && t[slot + 2] === c) return PRESENT;
      }
    }
    if (!mayInsert) return FULL;
    if (this.#inserted[segment]! >= this.#rebuildAt[segment]!) {
      buckets = this.#rebuild(segment, t, base, current, 0);
      free = -1; // the buckets moved
    }
    if (free >= 0) write(t, free, a, b, c, expiry);
    else {
      // No room even by displacement (a small table can crowd on a few bucket pairs): grow while the budget allows.
      while (!this.#place(t, base, stride, buckets, a, b, c, expiry, current)) {
        const rung = rungFor(this.#sizes, buckets);
        if (rung === this.#sizes.length - 1) return FULL;
        const before = buckets;
        buckets = this.#rebuild(segment, t, base, current, rung + 1);
        if (buckets === before) return FULL; // no larger table could hold the live entries
      }
    }
    this.#inserted[segment]!++;
    return INSERTED;
  }

  /** Bytes of the budget written so far: every segment's table at the largest size it has had. */
  get bytes(): number {
    return this.#reachedBytes;
  }

  /** Gives a segment a table of rung `rung`: its first buckets (their content is the caller's to write). */
  #resize(segment: number, rung: number): number {
    const buckets = this.#sizes[rung]!;
    this.#buckets[segment] = buckets;
    const reached = this.#reached[segment]!;
    if (buckets > reached) {
      this.#reachedBytes += (buckets - reached) * BUCKET_BYTES;
      this.#reached[segment] = buckets;
    }
    return buckets;
  }

  /**
   * Moves a segment's live entries into a table sized for them (at rung `minRung` or above) and returns its buckets.
   * The entries are placed in the scratch table and copied back only once every one of them has a slot, so none is
   * ever lost; when no size its share holds can take them, the table stays as it was.
   */
  #rebuild(segment: number, t: Int32Array, base: number, current: number, minRung: number): number {
    const buckets = this.#buckets[segment]!;
    const stride = this.#stride;
    const end = base + buckets * stride;
    let live = 0;
    for (let start = base; start < end; start += stride) {
      for (let slot = start + 3; slot < start + BUCKET_INTS; slot += 4) if ((t[slot]! & EXPIRY) > current) live++;
    }
    const load = live < SMALL_SEGMENT ? SMALL_TARGET_LOAD : TARGET_LOAD;
    let rebuilt = buckets;
    for (let rung = Math.max(minRung, rungFor(this.#sizes, Math.ceil(live / (4 * load)))); rung < this.#sizes.length; rung++) {
      const scratch = this.#scratch[rung]!;
      const size = this.#sizes[rung]!;
      scratch.fill(0);
      let placed = true;
      for (let start = base; start < end && placed; start += stride) {
        for (let slot = start; slot < start + BUCKET_INTS && placed; slot += 4) {
          if ((t[slot + 3]! & EXPIRY) > current) placed = this.#place(scratch, 0, BUCKET_INTS, size, t[slot]!, t[slot + 1]!, t[slot + 2]!, t[slot + 3]! & EXPIRY, current);
        }
      }
      if (placed) {
        for (let bucket = 0, from = 0; bucket < size; bucket++, from += BUCKET_INTS) {
          const to = base + bucket * stride;
          for (let i = 0; i < BUCKET_INTS; i++) t[to + i] = scratch[from + i]!;
        }
        rebuilt = this.#resize(segment, rung);
        break;
      }
      // crowded on a few bucket pairs: one rung up
    }
    this.#inserted[segment] = live;
    this.#rebuildAt[segment] = this.#rebuildPoint(rebuilt, live);
    return rebuilt;
  }

  /**
   * The insert count at which a segment of `buckets` is rebuilt next: a share of its slots drawn at random, and at
   * least a fifth of its slots after `live`, so a segment at its budget is not rebuilt on every insert.
   */
  #rebuildPoint(buckets: number, live: number): number {
    const slots = buckets * 4;
    const share = REBUILD_LOAD_MIN + ((REBUILD_LOAD_MAX - REBUILD_LOAD_MIN) * (this.#next() >>> 8)) / 0x1000000;
    return Math.max(Math.floor(slots * share), live + Math.ceil(slots / 5));
  }

  /**
   * Puts an entry in a free slot of its buckets in the table of `buckets` at `base` of `t` (bucket after bucket
   * `stride` ints apart), displacing others along a random walk; false (nothing moved) when none is found. An entry
   * written to its second bucket marks its home bucket's overflow bit.
   */
  #place(t: Int32Array, base: number, stride: number, buckets: number, a: number, b: number, c: number, expiry: number, current: number): boolean {
    const home = bucketOf(b, buckets);
    const second = otherBucket(c, home, buckets);
    let free = freeSlot(t, base + home * stride, current);
    if (free < 0) {
      free = freeSlot(t, base + second * stride, current);
      if (free >= 0) markOverflow(t, base + home * stride);
    }
    if (free >= 0) {
      write(t, free, a, b, c, expiry);
      return true;
    }
    const path = this.#path;
    let bucket = this.#next() & 1 ? second : home;
    let kicks = 0;
    while (kicks < MAX_KICKS) {
      const slot = base + bucket * stride + 4 * (this.#next() & 3);
      path[kicks++] = slot;
      const ka = t[slot]!, kb = t[slot + 1]!, kc = t[slot + 2]!, ke = t[slot + 3]! & EXPIRY;
      write(t, slot, a, b, c, expiry);
      markIfAway(t, base, stride, b, bucket, buckets);
      a = ka; b = kb; c = kc; expiry = ke;
      const kickedHome = bucketOf(b, buckets);
      bucket = kickedHome === bucket ? otherBucket(c, kickedHome, buckets) : kickedHome;
      free = freeSlot(t, base + bucket * stride, current);
      if (free >= 0) {
        write(t, free, a, b, c, expiry);
        markIfAway(t, base, stride, b, bucket, buckets);
        return true;
      }
    }
    // Walk back, so every entry displaced is where it was (an overflow bit set on the way stays: it only costs a read).
    while (kicks > 0) {
      const slot = path[--kicks]!;
      const ka = t[slot]!, kb = t[slot + 1]!, kc = t[slot + 2]!, ke = t[slot + 3]! & EXPIRY;
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

function bucketOf(word: number, buckets: number): number {
  return Math.floor(((word >>> 0) * buckets) / 4294967296);
}

/** The second bucket, always another one than the first. */
function otherBucket(word: number, first: number, buckets: number): number {
  const bucket = bucketOf(word, buckets);
  if (bucket !== first) return bucket;
  return first + 1 === buckets ? 0 : first + 1;
}

/** The first expired slot of the bucket starting at `start`, or -1. */
function freeSlot(t: Int32Array, start: number, current: number): number {
  for (let slot = start; slot < start + BUCKET_INTS; slot += 4) if ((t[slot + 3]! & EXPIRY) <= current) return slot;
  return -1;
}

/** Marks the home bucket of an entry (by its word b) that was just written into `bucket`, if that is not its home. */
function markIfAway(t: Int32Array, base: number, stride: number, b: number, bucket: number, buckets: number): void {
  const home = bucketOf(b, buckets);
  if (home !== bucket) markOverflow(t, base + home * stride);
}

/** Sets the overflow bit of the bucket starting at `start`. */
function markOverflow(t: Int32Array, start: number): void {
  t[start + 3] = t[start + 3]! | OVERFLOW;
}

/** Writes an entry, keeping the slot's overflow bit (set only on a bucket's first slot). */
function write(t: Int32Array, slot: number, a: number, b: number, c: number, expiry: number): void {
  t[slot] = a;
  t[slot + 1] = b;
  t[slot + 2] = c;
  t[slot + 3] = (t[slot + 3]! & OVERFLOW) | expiry;
}
