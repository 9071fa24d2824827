// Arbitrary header strings against every scheme: the header parsers and decoders never throw anything but a
// KeygateError and never accept a request they were not given a valid signature for.
import test from 'ava';
import fc from 'fast-check';
import { fakeSignedRequest, isKeygateError, type Scheme } from '@keygate/core';
import { inqud } from '@keygate/inqud';
import { kiiex } from '@keygate/kiiex';
import { lenme } from '@keygate/lenme';
import { valiant } from '@keygate/valiant';

const uuid = '5f0c7b2e-1d6a-4a8e-9c3b-2f4d6e8a0b1c';
const kiiexSchemes = kiiex({ secrets: new Map([['key', { secrets: ['s'], userId: 1 }]]), sessionKey: 'k'.repeat(32) });

const subjects: [string, Scheme<unknown>, readonly string[], (id: string) => Record<string, string>][] = [
  ['inqud', inqud({ secrets: new Map([['TKN-1', { secrets: ['s'] }]]) }), ['X-Token-API-Id', 'X-HMAC-SHA256-Signature', 'X-Salt', 'X-Token-API-Secret'], () => ({ 'X-Token-API-Id': 'TKN-1' })],
  ['valiant', valiant({ secrets: new Map([[uuid, { key: 'k', secrets: ['s'] }]]) }), ['X-AUTH-ID', 'X-AUTH-SIGNED-KEY', 'Content-Type'], () => ({ 'X-AUTH-ID': uuid })],
  ['lenme', lenme({ secrets: new Map([['key', { secrets: ['s'] }]]) }), ['X-API-KEY', 'X-Timestamp', 'X-HMAC'], () => ({ 'X-API-KEY': 'key', 'X-Timestamp': String(Math.floor(Date.now() / 1000)) })],
  ['kiiex session', kiiexSchemes.session, ['aptoken'], () => ({})],
];

const anyString = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 100 }), fc.stringMatching(/^[0-9a-fA-F+/=._-]{0,90}$/));

for (const [name, scheme, headers, base] of subjects) {
  test(`${name}: arbitrary header values only ever fail with a KeygateError`, async (t) => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...headers), anyString), fc.uint8Array({ maxLength: 64 }), async (values, body) => {
        const request = fakeSignedRequest({ ...base('x'), ...values }, body);
        try {
          await scheme.verify(request);
          return false;
        } catch (error) {
          return isKeygateError(error) && error.status >= 400 && error.status < 600 && typeof scheme.reject(error).status === 'number';
        }
      }),
      { numRuns: 300 },
    );
    t.pass();
  });
}
