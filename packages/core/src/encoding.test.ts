import test from 'ava';
import fc from 'fast-check';
import { decodeBase64, decodeBase64Url, decodeHex } from './encoding.js';

test('decodeHex accepts exactly the expected length in either case', (t) => {
  t.deepEqual(decodeHex('00ffAB', 3), Buffer.from([0, 255, 171]));
  t.is(decodeHex('00ff', 3), undefined);
  t.is(decodeHex('00ffa', 3), undefined, 'odd length');
  t.is(decodeHex('00ffzz', 3), undefined, 'non-hex characters are not truncated away');
  t.is(decodeHex(' 0ffab', 3), undefined, 'whitespace');
  // Node's hex decoder reads only the low byte of a wide character: these would decode as '0', '1', 'a', 'b'.
  t.is(decodeHex('\u0130\u0131ab', 2), undefined, 'dotted capital I and dotless i');
  t.is(decodeHex('\uff41\uff42ab', 2), undefined, 'fullwidth a and b');
  t.is(decodeHex('\ud800\udc00ab', 2), undefined, 'a surrogate pair');
});

test('decodeHex accepts exactly the strings made of hex digits, whatever else they hold', (t) => {
  const chars = fc.constantFrom(...'0123456789abcdefABCDEFgG \u0130\u0131\uff41\u0100\u0161\ud800\udc00é'.split(''));
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 8 }), fc.array(chars, { maxLength: 18 }), (bytes, list) => {
      const text = list.join('');
      const decoded = decodeHex(text, bytes);
      const valid = text.length === bytes * 2 && /^[0-9a-fA-F]*$/.test(text);
      return valid ? decoded?.equals(Buffer.from(text, 'hex')) === true : decoded === undefined;
    }),
    { numRuns: 20_000 },
  );
  t.pass();
});

test('decodeBase64 accepts only canonical padded standard base64', (t) => {
  const bytes = Buffer.from('hello world, 32 bytes of signing', 'utf8');
  t.is(bytes.length, 32);
  const text = bytes.toString('base64');
  t.deepEqual(decodeBase64(text, 32), bytes);
  t.is(decodeBase64(text.replace(/=+$/, ''), 32), undefined, 'missing padding');
  t.is(decodeBase64(bytes.toString('base64url'), 32), undefined, 'url alphabet');
  t.is(decodeBase64(` ${text.slice(1)}`, 32), undefined, 'whitespace');
  const lastChar = text.at(-2) ?? '';
  const tweaked = `${text.slice(0, -2)}${lastChar === 'A' ? 'B' : String.fromCharCode(lastChar.charCodeAt(0) + 1)}=`;
  t.is(decodeBase64(tweaked, 32), undefined, 'non-zero padding bits');
});

test('decoders never throw and only accept canonical encodings of the right length', (t) => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
      const hex = decodeHex(text, 32);
      if (hex !== undefined && hex.toString('hex') !== text.toLowerCase()) return false;
      const b64 = decodeBase64(text, 32);
      return b64 === undefined || (b64.length === 32 && b64.toString('base64') === text);
    }),
  );
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
      const buffer = Buffer.from(bytes);
      return (
        decodeHex(buffer.toString('hex').toUpperCase(), 32)?.equals(buffer) === true &&
        decodeBase64(buffer.toString('base64'), 32)?.equals(buffer) === true
      );
    }),
  );
  t.pass();
});

const BASE64_CASES = [
  {
    encoding: 'base64', decode: decodeBase64, pattern: /^[A-Za-z0-9+/]*={0,2}$/, length: (bytes: number) => Math.ceil(bytes / 3) * 4,
    replacements: [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', '=', '-', '_', ' '],
  },
  {
    encoding: 'base64url', decode: decodeBase64Url, pattern: /^[A-Za-z0-9_-]*$/, length: (bytes: number) => Math.ceil((bytes * 4) / 3),
    replacements: [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', '=', '+', '/', ' '],
  },
] as const;

for (const { encoding, decode, pattern, length, replacements } of BASE64_CASES) {
  test(`${decode.name} accepts exactly the canonical ${encoding} encoding, at every length`, (t) => {
    const canonical = (text: string, bytes: number): boolean => {
      const decoded = Buffer.from(text, encoding);
      return pattern.test(text) && text.length === length(bytes) && decoded.length === bytes && decoded.toString(encoding) === text;
    };
    // Real encodings with any one character replaced: covers set unused bits, misplaced '=' and the wrong alphabet.
    const cases = fc.uint8Array({ maxLength: 40 }).chain((raw) => {
      const text = Buffer.from(raw).toString(encoding);
      return fc.tuple(fc.constant(raw.length), fc.constant(text), fc.nat({ max: Math.max(0, text.length - 1) }), fc.constantFrom(...replacements));
    });
    fc.assert(
      fc.property(cases, ([bytes, text, at, replacement]) => {
        const tweaked = text.slice(0, at) + replacement + text.slice(at + 1);
        const decoded = decode(tweaked, bytes);
        return canonical(tweaked, bytes) ? decoded?.equals(Buffer.from(tweaked, encoding)) === true : decoded === undefined;
      }),
      { numRuns: 5000 },
    );
    t.pass();
  });
}

test('decodeBase64Url refuses padding and the standard alphabet', (t) => {
  const signature = Buffer.alloc(32, 7);
  t.deepEqual(decodeBase64Url(signature.toString('base64url'), 32), signature);
  t.is(decodeBase64Url(`${signature.toString('base64url')}=`, 32), undefined, 'padding');
  const ones = Buffer.alloc(32, 0xff);
  t.is(decodeBase64Url(ones.toString('base64').replace(/=+$/, ''), 32), undefined, 'standard alphabet (/ for _)');
  t.deepEqual(decodeBase64Url(ones.toString('base64url'), 32), ones);
});
