import test from 'ava';
import fc from 'fast-check';
import { sipHash13, type SipKey } from './siphash.js';

const MASK = (1n << 64n) - 1n;
const rotl = (x: bigint, bits: bigint): bigint => ((x << bits) | (x >> (64n - bits))) & MASK;

/** SipHash-c-d as the paper writes it, on BigInt words: slow and obviously right. */
function reference(k0: bigint, k1: bigint, bytes: Uint8Array, c: number, d: number, wide128: boolean): bigint[] {
  let v0 = k0 ^ 0x736f6d6570736575n, v1 = k1 ^ 0x646f72616e646f6dn, v2 = k0 ^ 0x6c7967656e657261n, v3 = k1 ^ 0x7465646279746573n;
  if (wide128) v1 ^= 0xeen;
  const rounds = (n: number): void => {
    for (let r = 0; r < n; r++) {
      v0 = (v0 + v1) & MASK; v1 = rotl(v1, 13n); v1 ^= v0; v0 = rotl(v0, 32n);
      v2 = (v2 + v3) & MASK; v3 = rotl(v3, 16n); v3 ^= v2;
      v0 = (v0 + v3) & MASK; v3 = rotl(v3, 21n); v3 ^= v0;
      v2 = (v2 + v1) & MASK; v1 = rotl(v1, 17n); v1 ^= v2; v2 = rotl(v2, 32n);
    }
  };
  const whole = bytes.length - (bytes.length % 8);
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < whole; i += 8) {
    const m = view.readBigUInt64LE(i);
    v3 ^= m; rounds(c); v0 ^= m;
  }
  let last = BigInt(bytes.length & 0xff) << 56n;
  for (let j = 0; whole + j < bytes.length; j++) last |= BigInt(bytes[whole + j]!) << BigInt(8 * j);
  v3 ^= last; rounds(c); v0 ^= last;
  v2 ^= wide128 ? 0xeen : 0xffn;
  rounds(d);
  const first = v0 ^ v1 ^ v2 ^ v3;
  if (!wide128) return [first];
  v1 ^= 0xddn;
  rounds(d);
  return [first, v0 ^ v1 ^ v2 ^ v3];
}

const littleEndianBytes = (words: bigint[]): string =>
  Buffer.concat(words.map((w) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(w);
    return b;
  })).toString('hex');

const VECTOR_KEY = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
const k0 = VECTOR_KEY.readBigUInt64LE(0);
const k1 = VECTOR_KEY.readBigUInt64LE(8);

test('the reference implementation gives the published SipHash-2-4 vectors', (t) => {
  const message = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i);
  t.is(littleEndianBytes(reference(k0, k1, message(0), 2, 4, false)), '310e0edd47db6f72');
  t.is(littleEndianBytes(reference(k0, k1, message(15), 2, 4, false)), 'e545be4961ca29a1');
  t.is(littleEndianBytes(reference(k0, k1, message(0), 2, 4, true)), 'a3817f04ba25a8e66df67214c7550293');
});

function keyWords(key: Buffer): SipKey {
  return Int32Array.of(key.readInt32LE(4), key.readInt32LE(0), key.readInt32LE(12), key.readInt32LE(8));
}

function fastWords(key: Buffer, text: string, wide: boolean): bigint[] | undefined {
  const out = new Int32Array(4);
  if (!sipHash13(keyWords(key), text, wide, out)) return undefined;
  const word = (high: number, low: number): bigint => (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
  return [word(out[0]!, out[1]!), word(out[2]!, out[3]!)];
}

test('the int32 SipHash-1-3-128 equals the reference on one byte per character', (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ maxLength: 80 }), (key, bytes) => {
      const text = String.fromCharCode(...bytes);
      const k = Buffer.from(key);
      t.deepEqual(fastWords(k, text, false), reference(k.readBigUInt64LE(0), k.readBigUInt64LE(8), bytes, 1, 3, true));
    }),
    { numRuns: 2000 },
  );
});

test('the int32 SipHash-1-3-128 equals the reference on UTF-16 code units when wide', (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.string({ unit: 'binary', maxLength: 40 }), (key, text) => {
      const k = Buffer.from(key);
      const bytes = Buffer.from(text, 'utf16le');
      t.deepEqual(fastWords(k, text, true), reference(k.readBigUInt64LE(0), k.readBigUInt64LE(8), bytes, 1, 3, true));
    }),
    { numRuns: 1000 },
  );
});

test('a character of 256 or above is refused unless wide', (t) => {
  t.is(fastWords(VECTOR_KEY, 'caf\u00e9', false)?.length, 2, 'latin-1 fits one byte per character');
  t.is(fastWords(VECTOR_KEY, 'salt\u0100', false), undefined);
  t.is(fastWords(VECTOR_KEY, '\u20ac'.repeat(9), false), undefined, 'also in a whole block');
  t.is(fastWords(VECTOR_KEY, 'salt\u0100', true)?.length, 2);
});
