const MAX_SLICE = 2 ** 31 - 1;

/**
 * The nonce store's time, in slices of `sliceMs` since its first reading. It never runs backwards: a clock stepped
 * back keeps entries longer, never shorter. Entries are counted per expiry slice, so a slice's entries leave the live
 * count all at once when the slice ends, without visiting them.
 */
export class ExpirySlices {
  /** Entries whose expiry slice has not ended. */
  live = 0;
  /** Whole slices elapsed since the first reading: an entry is live while this is below its expiry slice. */
  current = 0;
  readonly #sliceMs: number;
  #origin = Number.NaN;
  #latest = 0;
  readonly #counts = new Map<number, number>();
  #pendingExpiry = 0;
  #pending = 0;

  constructor(sliceMs: number) {
    this.#sliceMs = sliceMs;
  }

  /** Moves time to `at` (epoch ms) unless it is earlier than a reading already seen; returns the current slice. */
  advance(at: number): number {
    if (Number.isNaN(this.#origin)) this.#origin = this.#latest = at;
    if (!(at > this.#latest)) return this.current;
    this.#latest = at;
    const slice = Math.floor((at - this.#origin) / this.#sliceMs);
    if (slice > this.current) this.#endThrough(slice);
    return this.current;
  }

  /** The first slice in which an entry claimed now with `ttlMs` may be forgotten: it lives at least `ttlMs`. */
  expiryAfter(ttlMs: number): number {
    return Math.min(MAX_SLICE, Math.floor((this.#latest - this.#origin + ttlMs) / this.#sliceMs) + 1);
  }

  add(expiry: number): void {
    // Claims in a row mostly share their expiry slice: count them apart and write the Map when the slice changes.
    if (expiry !== this.#pendingExpiry) {
      this.#flush();
      this.#pendingExpiry = expiry;
    }
    this.#pending++;
    this.live++;
  }

  #flush(): void {
    if (this.#pending === 0) return;
    this.#counts.set(this.#pendingExpiry, (this.#counts.get(this.#pendingExpiry) ?? 0) + this.#pending);
    this.#pending = 0;
  }

  #endThrough(slice: number): void {
    this.#flush();
    const counts = this.#counts;
    // Step through the slices that ended when there are few; after a long jump, visit the (fewer) counted ones.
    if (slice - this.current <= counts.size) {
      for (let ended = this.current + 1; ended <= slice; ended++) this.#drop(ended);
    } else {
      for (const expiry of counts.keys()) if (expiry <= slice) this.#drop(expiry);
    }
    this.current = slice;
  }

  #drop(expiry: number): void {
    const count = this.#counts.get(expiry);
    if (count === undefined) return;
    this.live -= count;
    this.#counts.delete(expiry);
  }
}
