// Property tests (fast-check): what the signer makes always verifies; any single change to the id, the key or the
// signed key never does; arbitrary header strings are refused with a KeygateError and never throw anything else.
import test from 'ava';
import fc from 'fast-check';
import { fakeSignedRequest, isKeygateError, type KeygateErrorCode } from '@keygate/core';
import { valiant } from './scheme.js';
import { signValiant } from './sign.js';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 64 });
const client = fc.record({ id: fc.uuid(), key: text, secret: text });

function schemeFor(c: { id: string; key: string; secret: string }) {
  return valiant({ secrets: new Map([[c.id, { key: c.key, secrets: [c.secret] }]]) });
}

/** Resolves with 'ok' or the KeygateError code; anything else thrown fails the property. */
async function outcome(c: { id: string; key: string; secret: string }, headers: Record<string, string>): Promise<'ok' | KeygateErrorCode> {
  try {
    await schemeFor(c).verify(fakeSignedRequest(headers, '', 'GET', '/api/v1/authenticate'));
    return 'ok';
  } catch (error) {
    if (isKeygateError(error)) return error.code;
    throw error;
  }
}

test('every request made by the signer verifies', async (t) => {
  await fc.assert(fc.asyncProperty(client, async (c) => (await outcome(c, signValiant(c))) === 'ok'));
  t.pass();
});

test('another client id never verifies', async (t) => {
  await fc.assert(
    fc.asyncProperty(client, fc.uuid(), async (c, other) => {
      fc.pre(other.toLowerCase() !== c.id.toLowerCase());
      return (await outcome(c, { ...signValiant(c), 'X-AUTH-ID': other })) !== 'ok';
    }),
  );
  t.pass();
});

test('a signed key made from any other key never verifies', async (t) => {
  await fc.assert(
    fc.asyncProperty(client, text, async (c, otherKey) => {
      fc.pre(otherKey !== c.key);
      return (await outcome(c, signValiant({ ...c, key: otherKey }))) !== 'ok';
    }),
  );
  t.pass();
});

test('changing any one character of the signed key never verifies', async (t) => {
  await fc.assert(
    fc.asyncProperty(client, fc.nat(), fc.integer({ min: 1, max: 63 }), async (c, position, delta) => {
      const headers = signValiant(c);
      const signed = headers['X-AUTH-SIGNED-KEY'] ?? '';
      const at = position % (signed.length - 1); // the final '=' stays; every other character is data
      const changed = BASE64[(BASE64.indexOf(signed[at] ?? 'A') + delta) % 64] ?? 'A';
      const mutated = `${signed.slice(0, at)}${changed}${signed.slice(at + 1)}`;
      return (await outcome(c, { ...headers, 'X-AUTH-SIGNED-KEY': mutated })) !== 'ok';
    }),
  );
  t.pass();
});

test('arbitrary header strings are refused with a KeygateError, never a crash', async (t) => {
  const header = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.stringMatching(/^[A-Za-z0-9+/=_-]{0,48}$/));
  await fc.assert(
    fc.asyncProperty(client, header, header, header, async (c, id, signed, contentType) => {
      const result = await outcome(c, { 'X-AUTH-ID': id, 'X-AUTH-SIGNED-KEY': signed, 'Content-Type': contentType });
      return result !== 'ok';
    }),
  );
  t.pass();
});
