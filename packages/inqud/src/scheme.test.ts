import test from 'ava';
import { fakeSignedRequest as fakeRequest, hmacSha256, isKeygateError, memoryNonceStore, type Hmac, type KeygateError } from '@keygate/core';
import { inqud } from './scheme.js';
import { inqudSimpleHeaders, signInqud } from './sign.js';

const tokenId = 'TKN-6c1296b8-6929-443b-ac06-f732e0e27be1';
const secret = 'dBajIp3wHnw5euxohPiZvsCEorG3Fhl9gsHl1UIBlsImHjWRdSJdp4Gh6e3y2PNs';
const secrets = new Map([[tokenId, { secrets: [secret] }]]);
const body = '{"amount": 50, "currency": "USD"}';

async function failure(promise: Promise<unknown>): Promise<KeygateError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isKeygateError(error)) throw new Error(`expected a KeygateError, got ${String(error)}`);
  return error;
}

function assertNoLeak(t: { false: (v: boolean, m?: string) => void }, error: KeygateError, expected?: string): void {
  const scheme = inqud({ secrets });
  const texts = [error.message, JSON.stringify(error), String(scheme.reject(error).body)];
  for (const text of texts) {
    t.false(text.includes(secret), 'secret leaked');
    if (expected !== undefined) t.false(text.toLowerCase().includes(expected.toLowerCase()), 'expected signature leaked');
  }
}

test('a request signed like the vendor client verifies, in either hex case', async (t) => {
  const scheme = inqud({ secrets });
  const headers = signInqud({ tokenId, secret, body, salt: 'a1' });
  t.deepEqual(await scheme.verify(fakeRequest(headers, body)), { principal: tokenId });
  const upper = { ...signInqud({ tokenId, secret, body, salt: 'a2' }) };
  upper['X-HMAC-SHA256-Signature'] = upper['X-HMAC-SHA256-Signature']!.toUpperCase();
  t.deepEqual(await scheme.verify(fakeRequest(upper, body)), { principal: tokenId });
});

test('a GET signs the empty string plus the salt', async (t) => {
  const scheme = inqud({ secrets });
  t.deepEqual(await scheme.verify(fakeRequest(signInqud({ tokenId, secret, salt: 's' }), '', 'GET')), { principal: tokenId });
});

test('simple mode compares the secret in constant time', async (t) => {
  const scheme = inqud({ secrets });
  t.deepEqual(await scheme.verify(fakeRequest(inqudSimpleHeaders({ tokenId, secret }))), { principal: tokenId });
  const error = await failure(scheme.verify(fakeRequest(inqudSimpleHeaders({ tokenId, secret: `${secret}x` }))));
  t.is(error.code, 'bad_signature');
  assertNoLeak(t, error);
});

test('every failure has its code, status and no secret or expected signature', async (t) => {
  const scheme = inqud({ secrets });
  const good = signInqud({ tokenId, secret, body, salt: 'salt-1' });
  const expected = good['X-HMAC-SHA256-Signature'] ?? '';
  const cases: [string, Record<string, string | string[]>, string, KeygateError['code'], number][] = [
    ['no headers', {}, body, 'missing_credentials', 401],
    ['no salt', { ...good, 'X-Salt': '' }, body, 'missing_credentials', 401],
    ['no signature', { 'X-Token-API-Id': tokenId, 'X-Salt': 'x' }, body, 'missing_credentials', 401],
    ['id without TKN- prefix', { ...good, 'X-Token-API-Id': 'ABC-1' }, body, 'malformed_credentials', 401],
    ['short signature', { ...good, 'X-HMAC-SHA256-Signature': expected.slice(0, 62) }, body, 'malformed_credentials', 401],
    ['odd-length signature', { ...good, 'X-HMAC-SHA256-Signature': `${expected}a` }, body, 'malformed_credentials', 401],
    ['non-hex signature', { ...good, 'X-HMAC-SHA256-Signature': `${expected.slice(0, 63)}g` }, body, 'malformed_credentials', 401],
    ['duplicated salt', { ...good, 'X-Salt': ['a', 'b'] }, body, 'malformed_credentials', 401],
    ['non-ASCII salt', { ...good, 'X-Salt': 'sält' }, body, 'malformed_credentials', 401],
    ['oversized salt', { ...good, 'X-Salt': 'x'.repeat(600) }, body, 'malformed_credentials', 401],
    ['both modes at once', { ...good, 'X-Token-API-Secret': secret }, body, 'malformed_credentials', 401],
    ['unknown token', { ...good, 'X-Token-API-Id': 'TKN-unknown' }, body, 'unknown_key', 401],
    ['tampered body', good, `${body} `, 'bad_signature', 401],
    ['other salt', { ...good, 'X-Salt': 'salt-2' }, body, 'bad_signature', 401],
  ];
  for (const [name, headers, sent, code, status] of cases) {
    const error = await failure(scheme.verify(fakeRequest(headers, sent)));
    t.is(error.code, code, name);
    t.is(error.status, status, name);
    assertNoLeak(t, error, expected);
  }
});

test('a salt is single-use per token', async (t) => {
  const scheme = inqud({ secrets });
  const headers = signInqud({ tokenId, secret, body, salt: 'once' });
  await scheme.verify(fakeRequest(headers, body));
  const error = await failure(scheme.verify(fakeRequest(headers, body)));
  t.is(error.code, 'replayed');
});

test('salts are kept for the configured retention (24 h by default), and at most one expiry slice (10 s) longer', async (t) => {
  let now = 0;
  const scheme = inqud({ secrets, now: () => now });
  const headers = signInqud({ tokenId, secret, body, salt: 'day' });
  await scheme.verify(fakeRequest(headers, body));
  now = 24 * 60 * 60 * 1000 - 1;
  t.is((await failure(scheme.verify(fakeRequest(headers, body)))).code, 'replayed');
  now += 1 + 10_000;
  t.deepEqual(await scheme.verify(fakeRequest(headers, body)), { principal: tokenId });
});

test('a failed signature does not burn the salt', async (t) => {
  const scheme = inqud({ secrets });
  const headers = signInqud({ tokenId, secret, body, salt: 'keep' });
  await failure(scheme.verify(fakeRequest(headers, `${body}x`)));
  t.deepEqual(await scheme.verify(fakeRequest(headers, body)), { principal: tokenId });
});

test('modes can be restricted to one', async (t) => {
  const hmacOnly = inqud({ secrets, modes: ['hmac'] });
  t.is((await failure(hmacOnly.verify(fakeRequest(inqudSimpleHeaders({ tokenId, secret }))))).code, 'mode_not_allowed');
  const simpleOnly = inqud({ secrets, modes: ['simple'] });
  t.is((await failure(simpleOnly.verify(fakeRequest(signInqud({ tokenId, secret, body }), body)))).code, 'mode_not_allowed');
  t.throws(() => inqud({ secrets, modes: [] }), { instanceOf: TypeError });
  t.throws(() => inqud({ secrets, modes: ['both' as never] }), { instanceOf: TypeError });
});

test('rotation: any active secret verifies', async (t) => {
  const scheme = inqud({ secrets: new Map([[tokenId, { secrets: ['old-secret', secret] }]]) });
  t.deepEqual(await scheme.verify(fakeRequest(signInqud({ tokenId, secret: 'old-secret', body }), body)), { principal: tokenId });
  t.deepEqual(await scheme.verify(fakeRequest(signInqud({ tokenId, secret, body }), body)), { principal: tokenId });
});

test('an unknown token costs exactly one HMAC, like a known token with a bad signature', async (t) => {
  let count = 0;
  const counting: Hmac = (key, parts) => {
    count += 1;
    return hmacSha256(key, parts);
  };
  const scheme = inqud({ secrets, hmac: counting });
  const bad = { ...signInqud({ tokenId, secret: 'wrong', body }) };
  await failure(scheme.verify(fakeRequest(bad, body)));
  const known = count;
  count = 0;
  await failure(scheme.verify(fakeRequest({ ...bad, 'X-Token-API-Id': 'TKN-nobody' }, body)));
  t.is(known, 1);
  t.is(count, 1);
});

test('store failures fail closed with 503, never an accept', async (t) => {
  const throwing = inqud({ secrets: () => { throw new Error('db down'); } });
  t.is((await failure(throwing.verify(fakeRequest(signInqud({ tokenId, secret, body }), body)))).code, 'store_unavailable');
  const hanging = inqud({ secrets: () => new Promise(() => {}), storeTimeoutMs: 20 });
  t.is((await failure(hanging.verify(fakeRequest(signInqud({ tokenId, secret, body }), body)))).status, 503);
  const nonces = { claim: async () => { throw new Error('redis down'); } };
  const broken = inqud({ secrets, nonces });
  t.is((await failure(broken.verify(fakeRequest(signInqud({ tokenId, secret, body }), body)))).code, 'store_unavailable');
  const fullStore = memoryNonceStore({ maxBytes: 1024 });
  t.throws(() => {
    for (let i = 0; ; i++) fullStore.claim('filler', String(i), 60_000);
  }, { code: 'store_unavailable' });
  const full = inqud({ secrets, nonces: fullStore });
  t.is((await failure(full.verify(fakeRequest(signInqud({ tokenId, secret, body }), body)))).code, 'store_unavailable');
});

test('malformed headers are refused before the body is read', async (t) => {
  const scheme = inqud({ secrets });
  const req = fakeRequest({ 'X-Token-API-Id': tokenId, 'X-Salt': 'x', 'X-HMAC-SHA256-Signature': 'zz' }, body);
  await failure(scheme.verify(req));
  t.is(req.bodyReads, 0);
});

test('options are checked at construction', (t) => {
  t.throws(() => inqud(undefined as never), { instanceOf: TypeError });
  t.throws(() => inqud({ secrets: 'nope' as never }), { instanceOf: TypeError });
  t.throws(() => inqud({ secrets, saltRetentionMs: -1 }), { instanceOf: TypeError });
});
