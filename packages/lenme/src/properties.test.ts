// Property tests (fast-check): what the signer makes always verifies within the window; any single change to the
// API key, the timestamp or the HMAC never does; the timestamp parser accepts exactly the canonical integers.
import test from 'ava';
import fc from 'fast-check';
import { fakeSignedRequest, isKeygateError, type KeygateErrorCode } from '@keygate/core';
import { lenme } from './scheme.js';
import { signLenme } from './sign.js';
import { MAX_TIMESTAMP_DIGITS, parseTimestamp } from './timestamp.js';

const HEX = '0123456789abcdef';
const key = fc.stringMatching(/^[\x21-\x7e]{1,64}$/);
const secret = fc.string({ unit: 'binary', minLength: 1, maxLength: 64 });
// Any moment from 2001 to 2286 in epoch ms, and where within +-300 s the client's clock was.
const nowMs = fc.integer({ min: 1_000_000_000_000, max: 9_999_999_999_999 });
const skew = fc.integer({ min: -300, max: 300 });

interface Case { readonly apiKey: string; readonly secret: string; readonly now: number; readonly skew: number }
const request = fc.record({ apiKey: key, secret, now: nowMs, skew });

function sign(c: Case): Record<string, string> {
  return signLenme({ apiKey: c.apiKey, secret: c.secret, now: () => Math.floor(c.now / 1000) * 1000 + c.skew * 1000 });
}

async function outcome(c: Case, headers: Record<string, string>): Promise<'ok' | KeygateErrorCode> {
  const scheme = lenme({ secrets: new Map([[c.apiKey, { secrets: [c.secret] }]]), now: () => c.now });
  try {
    await scheme.verify(fakeSignedRequest(headers, '{}'));
    return 'ok';
  } catch (error) {
    if (isKeygateError(error)) return error.code;
    throw error;
  }
}

test('every request made by the signer within the window verifies', async (t) => {
  await fc.assert(fc.asyncProperty(request, async (c) => (await outcome(c, sign(c))) === 'ok'));
  t.pass();
});

test('any other API key never verifies', async (t) => {
  await fc.assert(
    fc.asyncProperty(request, key, async (c, other) => {
      fc.pre(other !== c.apiKey);
      return (await outcome(c, { ...sign(c), 'X-API-KEY': other })) !== 'ok';
    }),
  );
  t.pass();
});

test('any other timestamp never verifies with the original HMAC', async (t) => {
  const timestamp = fc.oneof(fc.integer({ min: -600, max: 600 }).map((d) => ({ delta: d })), fc.nat().map((n) => ({ value: n })));
  await fc.assert(
    fc.asyncProperty(request, timestamp, async (c, change) => {
      const headers = sign(c);
      const original = Number(headers['X-Timestamp']);
      const changed = 'delta' in change ? original + change.delta : change.value;
      fc.pre(changed !== original && changed >= 0);
      return (await outcome(c, { ...headers, 'X-Timestamp': String(changed) })) !== 'ok';
    }),
  );
  t.pass();
});

test('changing any one hex digit of the HMAC never verifies (case changes aside, hex is case-insensitive)', async (t) => {
  await fc.assert(
    fc.asyncProperty(request, fc.nat(63), fc.integer({ min: 1, max: 15 }), async (c, at, delta) => {
      const headers = sign(c);
      const hmac = headers['X-HMAC'] ?? '';
      const digit = HEX[(HEX.indexOf(hmac[at] ?? '0') + delta) % 16] ?? '0';
      return (await outcome(c, { ...headers, 'X-HMAC': `${hmac.slice(0, at)}${digit}${hmac.slice(at + 1)}` })) !== 'ok';
    }),
  );
  t.pass();
});

test('arbitrary header strings are refused with a KeygateError, never a crash', async (t) => {
  const header = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.stringMatching(/^[0-9a-fA-F.+-]{0,70}$/));
  await fc.assert(
    fc.asyncProperty(request, header, header, async (c, timestamp, hmac) => {
      return (await outcome(c, { 'X-API-KEY': c.apiKey, 'X-Timestamp': timestamp, 'X-HMAC': hmac })) !== 'ok';
    }),
  );
  t.pass();
});

test('the timestamp parser never throws and accepts only canonical integers, which it reads exactly', (t) => {
  const anything = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 24 }),
    fc.stringMatching(/^[0-9 .eE+\-x_]{0,20}$/),
    fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map(String),
    fc.double().map(String),
  );
  fc.assert(
    fc.property(anything, (text) => {
      const parsed = parseTimestamp(text);
      const canonical = /^(0|[1-9][0-9]*)$/.test(text) && text.length <= MAX_TIMESTAMP_DIGITS;
      if (!canonical) return parsed === undefined;
      return parsed !== undefined && Number.isSafeInteger(parsed) && String(parsed) === text;
    }),
  );
  for (const value of [undefined, null, 5, {}] as unknown[]) t.is(parseTimestamp(value as string), undefined);
});
