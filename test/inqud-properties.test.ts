import test from 'ava';
import fc from 'fast-check';
import { fakeSignedRequest } from '@keygate/core';
import { inqud, signInqud } from '@keygate/inqud';

const tokenId = 'TKN-property';
const salt = fc.stringMatching(/^[\x21-\x7e]{1,128}$/);
const secret = fc.string({ minLength: 1, maxLength: 64 });
const body = fc.uint8Array({ maxLength: 2048 });

function schemeFor(secretValue: string) {
  return inqud({ secrets: new Map([[tokenId, { secrets: [secretValue] }]]) });
}

async function accepts(secretValue: string, headers: Record<string, string>, bytes: Uint8Array): Promise<boolean> {
  return schemeFor(secretValue).verify(fakeSignedRequest(headers, bytes)).then(
    () => true,
    () => false,
  );
}

/** The same value with exactly one byte (or character) changed to something else. */
function mutateBytes(bytes: Uint8Array, index: number, delta: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  const at = index % copy.length;
  copy[at] = (copy[at]! + delta) % 256;
  return copy;
}

test('every request made by the signer verifies', async (t) => {
  await fc.assert(
    fc.asyncProperty(secret, body, salt, async (s, b, sa) => accepts(s, signInqud({ tokenId, secret: s, body: b, salt: sa }), b)),
  );
  t.pass();
});

test('any single-byte change to the body never verifies', async (t) => {
  await fc.assert(
    fc.asyncProperty(secret, body.filter((b) => b.length > 0), salt, fc.nat(), fc.integer({ min: 1, max: 255 }), async (s, b, sa, i, d) =>
      !(await accepts(s, signInqud({ tokenId, secret: s, body: b, salt: sa }), mutateBytes(b, i, d))),
    ),
  );
  t.pass();
});

test('any single-character change to the salt or the signature never verifies', async (t) => {
  const printable = (c: number) => 0x21 + ((c - 0x21 + 94) % 94);
  await fc.assert(
    fc.asyncProperty(secret, body, salt, fc.nat(), fc.integer({ min: 1, max: 93 }), fc.boolean(), async (s, b, sa, i, d, onSalt) => {
      const headers = signInqud({ tokenId, secret: s, body: b, salt: sa });
      const name = onSalt ? 'X-Salt' : 'X-HMAC-SHA256-Signature';
      const value = headers[name]!;
      const at = i % value.length;
      const changed = String.fromCharCode(printable(value.charCodeAt(at) + d));
      const mutated = value.slice(0, at) + changed + value.slice(at + 1);
      // Changing a hex letter's case is the same signature, not a change.
      if (!onSalt && mutated.toLowerCase() === value.toLowerCase()) return true;
      return !(await accepts(s, { ...headers, [name]: mutated }, b));
    }),
  );
  t.pass();
});
