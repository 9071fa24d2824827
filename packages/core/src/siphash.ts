/**
 * SipHash-1-3 with 128-bit output (Aumasson and Bernstein; the 1-3 round counts are those of Python's and Rust's
 * default hash tables, chosen there, as here, against crafted collisions by anyone who does not know the key).
 *
 * Written on 32-bit halves with int32 operations only, so V8 keeps every value in a register: no BigInt, no heap
 * numbers. The input is a string read without copying: one byte per character when every character is below 256
 * (what HTTP headers hold), or two bytes per UTF-16 code unit when asked for (`wide`).
 *
 * Checked against the reference algorithm, itself checked against the published test vectors (siphash.test.ts).
 */

/** A 128-bit SipHash key as four int32 words: k0 high, k0 low, k1 high, k1 low. */
export type SipKey = Int32Array;

/**
 * Hashes `text` under `key` into `out` (four int32 words, high word of each half first). Returns false, leaving
 * `out` unspecified, when `wide` is false and a character is 256 or above: hash it again with `wide` set.
 */
export function sipHash13(key: SipKey, text: string, wide: boolean, out: Int32Array): boolean {
  const k0h = key[0]!, k0l = key[1]!, k1h = key[2]!, k1l = key[3]!;
  let v0h = k0h ^ 0x736f6d65, v0l = k0l ^ 0x70736575;
  let v1h = k1h ^ 0x646f7261, v1l = k1l ^ 0x6e646f6d ^ 0xee;
  let v2h = k0h ^ 0x6c796765, v2l = k0l ^ 0x6e657261;
  let v3h = k1h ^ 0x74656462, v3l = k1l ^ 0x79746573;
  const chars = text.length;
  const perBlock = wide ? 4 : 8;
  const whole = chars - (chars % perBlock);
  const byteLength = wide ? 2 * chars : chars;
  const absorbRounds = whole / perBlock + 1;
  let seen = 0;
  let mh = 0, ml = 0, l = 0, h = 0;
  // One SipRound per message block (c = 1), then 3 + 3 finalization rounds (d = 3) for the two output halves.
  for (let round = 0, i = 0; round < absorbRounds + 6; round++, i += perBlock) {
    if (i < whole) {
      if (wide) {
        ml = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
        mh = text.charCodeAt(i + 2) | (text.charCodeAt(i + 3) << 16);
      } else {
        const c0 = text.charCodeAt(i), c1 = text.charCodeAt(i + 1), c2 = text.charCodeAt(i + 2), c3 = text.charCodeAt(i + 3);
        const c4 = text.charCodeAt(i + 4), c5 = text.charCodeAt(i + 5), c6 = text.charCodeAt(i + 6), c7 = text.charCodeAt(i + 7);
        seen |= c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7;
        ml = c0 | (c1 << 8) | (c2 << 16) | (c3 << 24);
        mh = c4 | (c5 << 8) | (c6 << 16) | (c7 << 24);
      }
    } else if (i === whole) {
      // The last block: the remaining bytes, and the length's low byte in the top byte.
      ml = 0;
      mh = (byteLength & 0xff) << 24;
      const shift = wide ? 16 : 8;
      for (let j = 0; whole + j < chars; j++) {
        const c = text.charCodeAt(whole + j);
        seen |= c;
        const bit = j * shift;
        if (bit < 32) ml |= c << bit;
        else mh |= c << (bit - 32);
      }
    } else {
      ml = mh = 0;
      if (round === absorbRounds) {
        if (!wide && seen > 0xff) return false;
        v2l ^= 0xee;
      } else if (round === absorbRounds + 3) {
        out[0] = v0h ^ v1h ^ v2h ^ v3h;
        out[1] = v0l ^ v1l ^ v2l ^ v3l;
        v1l ^= 0xdd;
      }
    }
    v3h ^= mh; v3l ^= ml;
    // A 64-bit add is a pair of int32 adds with the carry out of the low words: ((a & b) | ((a | b) & ~sum)) >>> 31.
    l = (v0l + v1l) | 0; v0h = (v0h + v1h + (((v0l & v1l) | ((v0l | v1l) & ~l)) >>> 31)) | 0; v0l = l;
    h = v1h; v1h = (h << 13) | (v1l >>> 19); v1l = (v1l << 13) | (h >>> 19);
    v1h ^= v0h; v1l ^= v0l;
    h = v0h; v0h = v0l; v0l = h;
    l = (v2l + v3l) | 0; v2h = (v2h + v3h + (((v2l & v3l) | ((v2l | v3l) & ~l)) >>> 31)) | 0; v2l = l;
    h = v3h; v3h = (h << 16) | (v3l >>> 16); v3l = (v3l << 16) | (h >>> 16);
    v3h ^= v2h; v3l ^= v2l;
    l = (v0l + v3l) | 0; v0h = (v0h + v3h + (((v0l & v3l) | ((v0l | v3l) & ~l)) >>> 31)) | 0; v0l = l;
    h = v3h; v3h = (h << 21) | (v3l >>> 11); v3l = (v3l << 21) | (h >>> 11);
    v3h ^= v0h; v3l ^= v0l;
    l = (v2l + v1l) | 0; v2h = (v2h + v1h + (((v2l & v1l) | ((v2l | v1l) & ~l)) >>> 31)) | 0; v2l = l;
    h = v1h; v1h = (h << 17) | (v1l >>> 15); v1l = (v1l << 17) | (h >>> 15);
    v1h ^= v2h; v1l ^= v2l;
    h = v2h; v2h = v2l; v2l = h;
    v0h ^= mh; v0l ^= ml;
  }
  out[2] = v0h ^ v1h ^ v2h ^ v3h;
  out[3] = v0l ^ v1l ^ v2l ^ v3l;
  return true;
}
