import test from 'ava';
import {
  fakeSignedRequest as fakeRequest, hmacSha256, KeygateError, memoryNonceStore,
  type Hmac, type KeygateErrorCode, type NonceStore,
} from '@keygate/core';
import { lenme } from './scheme.js';
import { signLenme } from './sign.js';

const apiKey = 'lenme-unit-api-key-51c2';
const secret = 'lenme-unit-secret-Zx81qP';
const secrets = new Map([[apiKey, { secrets: [secret] }]]);
const T = 1_700_000_000; // a fixed "now", in unix seconds
const clock = (): number => T * 1000 + 456; // mid-second, as a real clock usually is
const body = '{"loan_id": 42, "amount": 50.5}';

const signedAt = (seconds: number, as = secret, key = apiKey): Record<string, string> =>
  signLenme({ apiKey: key, secret: as, now: () => seconds * 1000 });
const good = signedAt(T);
const expected = good['X-HMAC'] ?? '';

/** Neither the secret nor the expected HMAC (in either case) may appear in the message, the error's JSON or the reply. */
function assertNoLeak(t: { false: (v: boolean, m?: string) => void }, error: KeygateError): void {
  const reply = lenme({ secrets, now: clock }).reject(error);
  for (const text of [error.message, JSON.stringify(error), String(reply.body)]) {
    t.false(text.includes(secret), 'secret leaked');
    t.false(text.toLowerCase().includes(expected), 'expected HMAC leaked');
  }
}

function detail(reply: { body?: string | Uint8Array }): unknown {
  return JSON.parse(String(reply.body))['detail'];
}

test('the signer computes what the vendor scripts compute (Python reference vector)', (t) => {
  // python3: hmac.new(s.encode(), f"{ts}:{s}".encode(), hashlib.sha256).hexdigest()
  const headers = signLenme({ apiKey: 'k', secret: 'lenme-known-answer-secret', now: () => 1_700_000_000_999 });
  t.deepEqual(headers, {
    'X-API-KEY': 'k',
    'X-Timestamp': '1700000000',
    'X-HMAC': '6ba3b85b7b9fd918836554fcceeafd5300341eb1cdd89b84506f412f59b2779e',
  });
});

test('a signed request verifies; the principal is the API key and the JSON body is parsed once', async (t) => {
  const scheme = lenme({ secrets, now: clock });
  t.deepEqual(await scheme.verify(fakeRequest(good, body)), { principal: apiKey, body: { loan_id: 42, amount: 50.5 } });
  t.is(scheme.name, 'lenme');
  t.false(scheme.readsBody);
});

test('an empty body is fine and reaches the route as undefined', async (t) => {
  const scheme = lenme({ secrets, now: clock });
  t.deepEqual(await scheme.verify(fakeRequest(good, '', 'GET')), { principal: apiKey, body: undefined });
  t.deepEqual(await scheme.verify(fakeRequest(good, '', 'POST')), { principal: apiKey, body: undefined });
});

test('X-HMAC is compared as hex in either case', async (t) => {
  const scheme = lenme({ secrets, now: clock });
  t.deepEqual(await scheme.verify(fakeRequest({ ...good, 'X-HMAC': expected.toUpperCase() })), { principal: apiKey, body: undefined });
});

test('the window is symmetric, +-300 s inclusive, in whole seconds', async (t) => {
  const scheme = lenme({ secrets, now: clock });
  for (const offset of [-300, -299, -1, 0, 1, 299, 300]) {
    t.like(await scheme.verify(fakeRequest(signedAt(T + offset))), { principal: apiKey }, `offset ${offset}`);
  }
  for (const offset of [-301, 301, -86_400, 86_400]) {
    await t.throwsAsync(scheme.verify(fakeRequest(signedAt(T + offset))), { code: 'timestamp_out_of_range' }, `offset ${offset}`);
  }
});

test('toleranceSeconds changes the window, both ways', async (t) => {
  const scheme = lenme({ secrets, now: clock, toleranceSeconds: 30 });
  t.like(await scheme.verify(fakeRequest(signedAt(T - 30))), { principal: apiKey });
  t.like(await scheme.verify(fakeRequest(signedAt(T + 30))), { principal: apiKey });
  await t.throwsAsync(scheme.verify(fakeRequest(signedAt(T - 31))), { code: 'timestamp_out_of_range' });
  await t.throwsAsync(scheme.verify(fakeRequest(signedAt(T + 31))), { code: 'timestamp_out_of_range' });
});

test('an HMAC may be reused within its window by default (vendor design)', async (t) => {
  const scheme = lenme({ secrets, now: clock });
  for (let i = 0; i < 3; i += 1) t.like(await scheme.verify(fakeRequest(good, body)), { principal: apiKey });
});

const withTimestamp = (value: string): Record<string, string> => {
  const headers = signLenme({ apiKey, secret, now: clock });
  return { ...headers, 'X-Timestamp': value };
};

const failures: [string, Record<string, string | string[]>, KeygateErrorCode, string][] = [
  ['no headers at all', {}, 'missing_credentials', 'Authentication credentials were not provided.'],
  ['no X-API-KEY', { 'X-Timestamp': good['X-Timestamp'] ?? '', 'X-HMAC': expected }, 'missing_credentials', 'Authentication credentials were not provided.'],
  ['no X-Timestamp', { 'X-API-KEY': apiKey, 'X-HMAC': expected }, 'missing_credentials', 'Authentication credentials were not provided.'],
  ['no X-HMAC', { 'X-API-KEY': apiKey, 'X-Timestamp': good['X-Timestamp'] ?? '' }, 'missing_credentials', 'Authentication credentials were not provided.'],
  ['empty X-HMAC', { ...good, 'X-HMAC': '' }, 'missing_credentials', 'Authentication credentials were not provided.'],
  ['decimal timestamp', withTimestamp(`${T}.0`), 'malformed_credentials', 'Authentication credentials were not provided.'],
  ['signed timestamp', withTimestamp(`+${T}`), 'malformed_credentials', 'Authentication credentials were not provided.'],
  ['negative timestamp', withTimestamp(`-${T}`), 'malformed_credentials', 'Authentication credentials were not provided.'],
  ['leading zero', withTimestamp(`0${T}`), 'malformed_credentials', 'Authentication credentials were not provided.'],
  ['timestamp with a space inside', withTimestamp(`${T} 1`), 'malformed_credentials', 'Authentication credentials were not provided.'],
  ['exponent timestamp', withTimestamp('1.7e9'), 'malformed_credentials', 'Authentication credentials were not provided.'],
  ['hex timestamp', withTimestamp('0x6553f100'), 'malformed_credentials', 'Authentication credentials were not provided.'],
  ['ISO date timestamp', withTimestamp('2023-11-14T22:13:20Z'), 'malformed_credentials', 'Authentication credentials were not provided.'],
  ['16-digit timestamp', withTimestamp('1'.repeat(16)), 'malformed_credentials', 'Authentication credentials were not provided.'],
  ['duplicated X-Timestamp', { ...good, 'X-Timestamp': [String(T), String(T)] }, 'malformed_credentials', 'Authentication credentials were not provided.'],
  ['X-HMAC of 63 hex digits', { ...good, 'X-HMAC': expected.slice(1) }, 'malformed_credentials', 'Authentication credentials were not provided.'],
  ['X-HMAC as base64', { ...good, 'X-HMAC': Buffer.from(expected, 'hex').toString('base64') }, 'malformed_credentials', 'Authentication credentials were not provided.'],
  ['X-HMAC with a non-hex digit', { ...good, 'X-HMAC': `${expected.slice(0, 63)}g` }, 'malformed_credentials', 'Authentication credentials were not provided.'],
  ['timestamp in milliseconds', withTimestamp(String(T * 1000)), 'timestamp_out_of_range', 'Timestamp out of range'],
  ['timestamp 0', withTimestamp('0'), 'timestamp_out_of_range', 'Timestamp out of range'],
  ['stale timestamp', signedAt(T - 301), 'timestamp_out_of_range', 'Timestamp out of range'],
  ['future timestamp', signedAt(T + 301), 'timestamp_out_of_range', 'Timestamp out of range'],
  ['stale timestamp from an unknown key (window first)', signedAt(T - 301, secret, 'nobody'), 'timestamp_out_of_range', 'Timestamp out of range'],
  ['unknown API key', { ...good, 'X-API-KEY': 'nobody' }, 'unknown_key', 'Invalid API Key'],
  ['signed with another secret', signedAt(T, 'another-secret'), 'bad_signature', 'Invalid HMAC'],
  ['HMAC of another timestamp', { ...signedAt(T - 1), 'X-Timestamp': String(T) }, 'bad_signature', 'Invalid HMAC'],
  ['one hex digit changed', { ...good, 'X-HMAC': `${expected.slice(0, 10)}${expected[10] === '0' ? '1' : '0'}${expected.slice(11)}` }, 'bad_signature', 'Invalid HMAC'],
];

for (const [name, headers, code, text] of failures) {
  test(`refused: ${name} -> ${code}, 401 {"detail": "${text}"}, nothing leaked`, async (t) => {
    const scheme = lenme({ secrets, now: clock });
    const req = fakeRequest(headers, body);
    const error = await t.throwsAsync(scheme.verify(req), { instanceOf: KeygateError, code });
    t.is(error.status, 401);
    const reply = scheme.reject(error);
    t.is(reply.status, 401);
    t.is(reply.headers?.['content-type'], 'application/json; charset=utf-8');
    t.is(reply.body, JSON.stringify({ detail: text }));
    t.is(req.bodyReads, 0, 'an unauthenticated body is never read');
    assertNoLeak(t, error);
  });
}

test('a non-JSON body on an authenticated request is 400 {"detail": "JSON parse error - ..."}', async (t) => {
  const scheme = lenme({ secrets, now: clock });
  for (const sent of ['loan_id=42', '{"loan_id": ', Buffer.from([0x7b, 0xff, 0x7d]), `${secret}`]) {
    const error = await t.throwsAsync(scheme.verify(fakeRequest(good, sent)), { instanceOf: KeygateError, code: 'malformed_body' });
    const reply = scheme.reject(error);
    t.is(reply.status, 400);
    t.regex(String(detail(reply)), /^JSON parse error - /);
    assertNoLeak(t, error);
  }
});

test('other failures answer {"detail"} with their own status', (t) => {
  const scheme = lenme({ secrets, now: clock });
  for (const [code, status] of [['body_too_large', 413], ['store_unavailable', 503], ['internal_error', 500], ['body_consumed', 500], ['body_aborted', 400], ['unsupported_encoding', 415]] as const) {
    const reply = scheme.reject(new KeygateError(code, 'internal detail that must not reach the client'));
    t.is(reply.status, status, code);
    t.is(typeof detail(reply), 'string', code);
    t.false(String(reply.body).includes('internal detail'), code);
  }
});

test('singleUse: an HMAC verifies once, in either hex case; the refusal is 401 "Invalid HMAC"', async (t) => {
  const scheme = lenme({ secrets, now: clock, singleUse: true });
  t.like(await scheme.verify(fakeRequest(good, body)), { principal: apiKey });
  const error = await t.throwsAsync(scheme.verify(fakeRequest(good, body)), { instanceOf: KeygateError, code: 'replayed' });
  t.deepEqual(JSON.parse(String(scheme.reject(error).body)), { detail: 'Invalid HMAC' });
  assertNoLeak(t, error);
  await t.throwsAsync(scheme.verify(fakeRequest({ ...good, 'X-HMAC': expected.toUpperCase() })), { code: 'replayed' });
  t.like(await scheme.verify(fakeRequest(signedAt(T + 1), body)), { principal: apiKey });
});

test('singleUse: a used HMAC stays refused for as long as its timestamp is in the window', async (t) => {
  let now = (T - 300) * 1000; // the earliest moment this timestamp is accepted
  const scheme = lenme({ secrets, now: () => now, singleUse: true });
  await scheme.verify(fakeRequest(good));
  for (const at of [T - 300, T, T + 300]) {
    now = at * 1000 + 999;
    await t.throwsAsync(scheme.verify(fakeRequest(good)), { code: 'replayed' }, `at ${at}`);
  }
  now = (T + 301) * 1000;
  await t.throwsAsync(scheme.verify(fakeRequest(good)), { code: 'timestamp_out_of_range' });
});

test('singleUse: a refused request does not use the HMAC up', async (t) => {
  const scheme = lenme({ secrets, now: clock, singleUse: true });
  await t.throwsAsync(scheme.verify(fakeRequest(good, 'not json')), { code: 'malformed_body' });
  t.like(await scheme.verify(fakeRequest(good, body)), { principal: apiKey });
});

test('singleUse: claims go to the given NonceStore, scoped per API key, with a TTL covering the window', async (t) => {
  const claims: [string, string, number][] = [];
  const nonces: NonceStore = { claim: (scope, nonce, ttlMs) => (claims.push([scope, nonce, ttlMs]), true) };
  await lenme({ secrets, now: clock, singleUse: true, nonces }).verify(fakeRequest({ ...good, 'X-HMAC': expected.toUpperCase() }));
  t.deepEqual(claims, [[`lenme:${apiKey}`, expected, 601_000]]);
  claims.length = 0;
  await lenme({ secrets, now: clock, nonces }).verify(fakeRequest(good));
  t.deepEqual(claims, [], 'the store is not used unless singleUse is on');
});

test('store failures fail closed with 503, never an accept', async (t) => {
  const throwing = lenme({ secrets: () => { throw new Error('db down'); }, now: clock });
  const error = await t.throwsAsync(throwing.verify(fakeRequest(good)), { instanceOf: KeygateError, code: 'store_unavailable' });
  t.is(throwing.reject(error).status, 503);
  const hanging = lenme({ secrets: () => new Promise(() => {}), now: clock, storeTimeoutMs: 20 });
  await t.throwsAsync(hanging.verify(fakeRequest(good)), { code: 'store_unavailable' });
  const broken = lenme({ secrets, now: clock, singleUse: true, nonces: { claim: async () => { throw new Error('redis down'); } } });
  await t.throwsAsync(broken.verify(fakeRequest(good)), { code: 'store_unavailable' });
  const slow = lenme({ secrets, now: clock, singleUse: true, storeTimeoutMs: 20, nonces: { claim: () => new Promise(() => {}) } });
  await t.throwsAsync(slow.verify(fakeRequest(good)), { code: 'store_unavailable' });
  const fullStore = memoryNonceStore({ maxBytes: 1024, now: clock });
  t.throws(() => {
    for (let i = 0; ; i++) fullStore.claim('filler', String(i), 60_000);
  }, { code: 'store_unavailable' });
  const full = lenme({ secrets, now: clock, singleUse: true, nonces: fullStore });
  await t.throwsAsync(full.verify(fakeRequest(good)), { code: 'store_unavailable' });
});

test('the store is not asked when the headers or the timestamp already fail', async (t) => {
  let lookups = 0;
  const scheme = lenme({ secrets: (id) => (lookups += 1, secrets.get(id)), now: clock });
  await t.throwsAsync(scheme.verify(fakeRequest(signedAt(T - 1000))), { code: 'timestamp_out_of_range' });
  await t.throwsAsync(scheme.verify(fakeRequest(withTimestamp('1.5'))), { code: 'malformed_credentials' });
  t.is(lookups, 0);
});

test('rotation: any active secret verifies', async (t) => {
  const scheme = lenme({ secrets: new Map([[apiKey, { secrets: ['old-lenme-secret', secret] }]]), now: clock });
  t.like(await scheme.verify(fakeRequest(signedAt(T, 'old-lenme-secret'))), { principal: apiKey });
  t.like(await scheme.verify(fakeRequest(good)), { principal: apiKey });
});

test('an unknown key costs exactly one HMAC, like a known key with a bad HMAC', async (t) => {
  let count = 0;
  const counting: Hmac = (key, parts) => {
    count += 1;
    return hmacSha256(key, parts);
  };
  const scheme = lenme({ secrets, now: clock, hmac: counting });
  await t.throwsAsync(scheme.verify(fakeRequest(signedAt(T, 'wrong'))), { code: 'bad_signature' });
  t.is(count, 1);
  count = 0;
  await t.throwsAsync(scheme.verify(fakeRequest({ ...good, 'X-API-KEY': 'nobody' })), { code: 'unknown_key' });
  t.is(count, 1);
});

test('options are checked at construction', (t) => {
  t.throws(() => lenme(undefined as never), { instanceOf: TypeError });
  t.throws(() => lenme({ secrets: 'nope' as never }), { instanceOf: TypeError });
  t.throws(() => lenme({ secrets, toleranceSeconds: 0 }), { instanceOf: TypeError });
  t.throws(() => lenme({ secrets, toleranceSeconds: 1.5 }), { instanceOf: TypeError });
  t.throws(() => lenme({ secrets, toleranceSeconds: '300' as never }), { instanceOf: TypeError });
  t.throws(() => lenme({ secrets, singleUse: 'yes' as never }), { instanceOf: TypeError });
  t.throws(() => lenme({ secrets, nonces: {} as never }), { instanceOf: TypeError });
  t.throws(() => lenme({ secrets, now: 5 as never }), { instanceOf: TypeError });
  t.throws(() => lenme({ secrets, storeTimeoutMs: -1 }), { instanceOf: TypeError });
  t.throws(() => lenme({ secrets, hmac: 'sha256' as never }), { instanceOf: TypeError });
});
