import test from 'ava';
import {
  fakeSignedRequest as fakeRequest, hmacSha256, KeygateError,
  type Hmac, type KeygateErrorCode, type SecretStore,
} from '@keygate/core';
import type { ValiantCredential } from './options.js';
import { valiant } from './scheme.js';
import { signValiant } from './sign.js';

const id = '5f0c7b2e-1d6a-4a8e-9c3b-2f4d6e8a0b1c';
const key = 'valiant-unit-key-7d3f';
const secret = 'valiant-unit-secret-Qm9pXz81';
const secrets = new Map([[id, { key, secrets: [secret] }]]);
const good = signValiant({ id, key, secret });
const expected = good['X-AUTH-SIGNED-KEY'] ?? '';
const body = '{"data": {"type": "loans"}}';

/** Neither the secret nor the expected signed key may appear in the message, the error's JSON or the reply. */
function assertNoLeak(t: { false: (v: boolean, m?: string) => void }, error: KeygateError): void {
  const reply = valiant({ secrets }).reject(error);
  for (const text of [error.message, JSON.stringify(error), String(reply.body)]) {
    t.false(text.includes(secret), 'secret leaked');
    t.false(text.includes(key), 'key leaked');
    t.false(text.includes(expected), 'expected signed key leaked');
  }
}

test('the signer matches the vendor-linked reference vector (jokecamp: "Message" signed with "secret")', (t) => {
  const headers = signValiant({ id, key: 'Message', secret: 'secret' });
  t.deepEqual(headers, {
    'X-AUTH-ID': id,
    'X-AUTH-SIGNED-KEY': 'qnR8UCqJggD55PohusaBNviGoOJ67HC6Btry4qXLVZc=',
    'Content-Type': 'application/vnd.api+json',
  });
});

test('a request with the three vendor headers verifies; the principal is the client id', async (t) => {
  const scheme = valiant({ secrets });
  t.deepEqual(await scheme.verify(fakeRequest(good, '', 'GET', '/api/v1/authenticate')), { principal: id });
  t.deepEqual(await scheme.verify(fakeRequest(good, body, 'POST', '/api/v1/loans')), { principal: id });
  t.is(scheme.name, 'valiant');
  t.false(scheme.readsBody);
});

test('content-type parameters and media-type case are tolerated', async (t) => {
  const scheme = valiant({ secrets });
  for (const contentType of ['application/vnd.api+json; charset=utf-8', 'Application/VND.API+JSON', 'application/vnd.api+json ;ext=x']) {
    t.deepEqual(await scheme.verify(fakeRequest({ ...good, 'Content-Type': contentType })), { principal: id }, contentType);
  }
});

test('the scheme never reads the body, on success or failure', async (t) => {
  const scheme = valiant({ secrets });
  const ok = fakeRequest(good, 'x'.repeat(1024 * 1024));
  await scheme.verify(ok);
  t.is(ok.bodyReads, 0);
  for (const headers of [{}, { ...good, 'X-AUTH-SIGNED-KEY': 'AAAA' }, { ...good, 'Content-Type': 'text/plain' }]) {
    const req = fakeRequest(headers, 'x'.repeat(1024 * 1024));
    await t.throwsAsync(scheme.verify(req), { instanceOf: KeygateError });
    t.is(req.bodyReads, 0);
  }
});

const otherSecret = signValiant({ id, key, secret: 'another-secret' })['X-AUTH-SIGNED-KEY'] ?? '';
const urlSafe = expected.replace(/\+/g, '-').replace(/\//g, '_');

const failures: [string, Record<string, string | string[]>, KeygateErrorCode, number][] = [
  ['no headers at all', {}, 'missing_credentials', 401],
  ['no X-AUTH-ID', { 'X-AUTH-SIGNED-KEY': expected, 'Content-Type': 'application/vnd.api+json' }, 'missing_credentials', 401],
  ['no X-AUTH-SIGNED-KEY', { 'X-AUTH-ID': id, 'Content-Type': 'application/vnd.api+json' }, 'missing_credentials', 401],
  ['empty X-AUTH-SIGNED-KEY', { ...good, 'X-AUTH-SIGNED-KEY': '' }, 'missing_credentials', 401],
  ['no auth and no content type', { 'X-AUTH-ID': id }, 'missing_credentials', 401],
  ['id that is not a uuid', { ...good, 'X-AUTH-ID': 'client-1' }, 'malformed_credentials', 401],
  ['id with spaces', { ...good, 'X-AUTH-ID': `${id} x` }, 'malformed_credentials', 401],
  ['duplicated X-AUTH-ID', { ...good, 'X-AUTH-ID': [id, id] }, 'malformed_credentials', 401],
  ['signed key as hex', { ...good, 'X-AUTH-SIGNED-KEY': Buffer.from(expected, 'base64').toString('hex') }, 'malformed_credentials', 401],
  ['signed key without padding', { ...good, 'X-AUTH-SIGNED-KEY': expected.replace(/=+$/, '') }, 'malformed_credentials', 401],
  ['signed key of 31 bytes', { ...good, 'X-AUTH-SIGNED-KEY': Buffer.alloc(31, 1).toString('base64') }, 'malformed_credentials', 401],
  ['signed key of 33 bytes', { ...good, 'X-AUTH-SIGNED-KEY': Buffer.alloc(33, 1).toString('base64') }, 'malformed_credentials', 401],
  ['signed key with a non-base64 character', { ...good, 'X-AUTH-SIGNED-KEY': `${expected.slice(0, 42)}*=` }, 'malformed_credentials', 401],
  ['unknown client id', { ...good, 'X-AUTH-ID': '00000000-0000-4000-8000-000000000000' }, 'unknown_key', 401],
  ['unknown id with a wrong content type', { ...good, 'X-AUTH-ID': '00000000-0000-4000-8000-000000000000', 'Content-Type': 'text/plain' }, 'unknown_key', 401],
  ['signed with another secret', { ...good, 'X-AUTH-SIGNED-KEY': otherSecret }, 'bad_signature', 401],
  ['signed another key', signValiant({ id, key: `${key}x`, secret }), 'bad_signature', 401],
  ['the unsigned key itself', { ...good, 'X-AUTH-SIGNED-KEY': Buffer.from(key.padEnd(32, '.')).toString('base64') }, 'bad_signature', 401],
  ['bad signed key with a wrong content type (auth first)', { ...good, 'X-AUTH-SIGNED-KEY': otherSecret, 'Content-Type': 'text/plain' }, 'bad_signature', 401],
  ['good auth, no content type', { 'X-AUTH-ID': id, 'X-AUTH-SIGNED-KEY': expected }, 'content_type', 400],
  ['good auth, application/json', { ...good, 'Content-Type': 'application/json' }, 'content_type', 400],
  ['good auth, empty content type', { ...good, 'Content-Type': '' }, 'content_type', 400],
  ['good auth, media type with a suffix', { ...good, 'Content-Type': 'application/vnd.api+jsonx' }, 'content_type', 400],
  ['good auth, duplicated content type', { ...good, 'Content-Type': ['application/vnd.api+json', 'text/plain'] }, 'content_type', 400],
];

// A base64 alphabet swap is only a different string when the signature holds + or /.
if (urlSafe !== expected) failures.push(['signed key in the URL-safe alphabet', { ...good, 'X-AUTH-SIGNED-KEY': urlSafe }, 'malformed_credentials', 401]);

for (const [name, headers, code, status] of failures) {
  test(`refused: ${name} -> ${code} ${status}, empty body, nothing leaked`, async (t) => {
    const scheme = valiant({ secrets });
    const error = await t.throwsAsync(scheme.verify(fakeRequest(headers, body)), { instanceOf: KeygateError, code });
    t.is(error.status, status);
    t.deepEqual(scheme.reject(error), { status, body: '' });
    assertNoLeak(t, error);
  });
}

test('the same 32 bytes in a non-canonical base64 form are refused (padding bits set)', async (t) => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const last = expected.at(-2) ?? 'A';
  // The last data character of 32 bytes carries 4 data bits and 2 padding bits: flipping bit 0 keeps the bytes.
  const tweaked = `${expected.slice(0, -2)}${alphabet[alphabet.indexOf(last) ^ 1]}=`;
  t.deepEqual(Buffer.from(tweaked, 'base64'), Buffer.from(expected, 'base64'));
  const scheme = valiant({ secrets });
  await t.throwsAsync(scheme.verify(fakeRequest({ ...good, 'X-AUTH-SIGNED-KEY': tweaked })), { code: 'malformed_credentials' });
});

test('other failures keep their status and an empty body', (t) => {
  const scheme = valiant({ secrets });
  for (const [code, status] of [['body_too_large', 413], ['store_unavailable', 503], ['internal_error', 500], ['malformed_body', 400], ['body_aborted', 400]] as const) {
    t.deepEqual(scheme.reject(new KeygateError(code, 'x')), { status, body: '' }, code);
  }
});

test('rotation: any active secret verifies', async (t) => {
  const scheme = valiant({ secrets: new Map([[id, { key, secrets: ['old-valiant-secret', secret] }]]) });
  t.deepEqual(await scheme.verify(fakeRequest(signValiant({ id, key, secret: 'old-valiant-secret' }))), { principal: id });
  t.deepEqual(await scheme.verify(fakeRequest(good)), { principal: id });
});

test('an async lookup function works like a Map', async (t) => {
  const store: SecretStore<ValiantCredential> = async (clientId) => secrets.get(clientId);
  t.deepEqual(await valiant({ secrets: store }).verify(fakeRequest(good)), { principal: id });
});

test('an unknown id costs exactly one HMAC, like a known id with a bad signed key', async (t) => {
  let count = 0;
  const counting: Hmac = (hmacKey, parts) => {
    count += 1;
    return hmacSha256(hmacKey, parts);
  };
  const scheme = valiant({ secrets, hmac: counting });
  await t.throwsAsync(scheme.verify(fakeRequest({ ...good, 'X-AUTH-SIGNED-KEY': otherSecret })), { code: 'bad_signature' });
  t.is(count, 1);
  count = 0;
  await t.throwsAsync(scheme.verify(fakeRequest({ ...good, 'X-AUTH-ID': '00000000-0000-4000-8000-000000000000' })), { code: 'unknown_key' });
  t.is(count, 1);
});

test('store failures fail closed with 503 and an empty body, never an accept', async (t) => {
  const throwing = valiant({ secrets: () => { throw new Error('db down'); } });
  const error = await t.throwsAsync(throwing.verify(fakeRequest(good)), { instanceOf: KeygateError, code: 'store_unavailable' });
  t.deepEqual(throwing.reject(error), { status: 503, body: '' });
  const hanging = valiant({ secrets: () => new Promise(() => {}), storeTimeoutMs: 20 });
  await t.throwsAsync(hanging.verify(fakeRequest(good)), { instanceOf: KeygateError, code: 'store_unavailable' });
  const keyless = valiant({ secrets: new Map([[id, { secrets: [secret] } as unknown as ValiantCredential]]) });
  const noKey = await t.throwsAsync(keyless.verify(fakeRequest(good)), { instanceOf: KeygateError, code: 'store_unavailable' });
  assertNoLeak(t, noKey);
  const secretless = valiant({ secrets: new Map([[id, { key, secrets: [] }]]) });
  await t.throwsAsync(secretless.verify(fakeRequest(good)), { instanceOf: KeygateError, code: 'store_unavailable' });
});

test('options are checked at construction', (t) => {
  t.throws(() => valiant(undefined as never), { instanceOf: TypeError });
  t.throws(() => valiant({ secrets: 'nope' as never }), { instanceOf: TypeError });
  t.throws(() => valiant({ secrets, storeTimeoutMs: 0 }), { instanceOf: TypeError });
  t.throws(() => valiant({ secrets, hmac: 'sha256' as never }), { instanceOf: TypeError });
});
