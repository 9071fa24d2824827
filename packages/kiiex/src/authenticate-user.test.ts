import test from 'ava';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { hmacSha256, isKeygateError, KeygateError, memoryNonceStore, type Hmac, type KeygateErrorCode, type SignedRequest } from '@keygate/core';
import { signKiiex } from './sign.js';
import {
  API_KEY, assertNoLeak, CREDENTIAL, expectedSignature, fixedClock, jsonRequest, NOW, parse, request, SECRET, setup, USER_ID,
} from './test-fixtures.js';

const signed = (nonce = 'nonce-1', userId: number | string = USER_ID, apiKey = API_KEY, secret = SECRET) =>
  signKiiex({ apiKey, secret, userId, nonce });

test('headers variant: 200 with the APEX user object and a session token', async (t) => {
  const { authenticateUser, session } = setup();
  const reply = await authenticateUser.handle(request({ headers: { ...signed() } }));
  t.is(reply.status, 200);
  t.is(reply.headers?.['cache-control'], 'no-store');
  const body = parse(reply);
  t.deepEqual(Object.keys(body), ['authenticated', 'sessionToken', 'user', 'locked', 'requires2FA', 'errormsg']);
  t.like(body, { authenticated: true, locked: false, requires2FA: false, errormsg: null });
  t.deepEqual(body['user'], { userId: 42, userName: 'alice', email: 'alice@example.com', emailVerified: true, accountId: 7, omsId: 1, use2FA: false });
  const token = body['sessionToken'] as string;
  t.deepEqual(await session.verify(request({ headers: { aptoken: token } })), { principal: API_KEY });
});

test('headers variant takes nothing from the body: a bad signature is refused before it is read', async (t) => {
  const { authenticateUser } = setup();
  const bad = request({ headers: { ...signed('n', USER_ID, API_KEY, 'not-the-secret') }, body: 'not json at all' });
  await t.throwsAsync(authenticateUser.handle(bad), { code: 'bad_signature' });
  t.is(bad.bodyReads, 0);
  const good = request({ headers: { ...signed() }, body: 'not json at all' });
  t.is((await authenticateUser.handle(good)).status, 200);
  t.is(good.bodyReads, 1, 'read (within the limit) but not parsed');
});

test('headers variant with a body over the limit: 413 before the Nonce is spent', async (t) => {
  const { authenticateUser } = setup();
  const tooLarge = { ...request({ headers: { ...signed('n-413') } }), body: () => Promise.reject(new KeygateError('body_too_large', 'over')) };
  const error = await t.throwsAsync(authenticateUser.handle(tooLarge), { code: 'body_too_large' });
  if (!isKeygateError(error)) return t.fail();
  t.is(authenticateUser.reject(error).status, 413);
  t.is((await authenticateUser.handle(request({ headers: { ...signed('n-413') } }))).status, 200, 'the Nonce is still unused');
});

test('the session token is HS256 with jti, sub = APIKey, iat, exp (24 h), iss and aud', async (t) => {
  const { authenticateUser } = setup();
  const token = parse(await authenticateUser.handle(request({ headers: { ...signed() } })))['sessionToken'] as string;
  t.deepEqual(decodeProtectedHeader(token), { alg: 'HS256', typ: 'JWT' });
  const claims = decodeJwt(token);
  t.is(claims.sub, API_KEY);
  t.is(claims.iss, 'keygate-kiiex');
  t.is(claims.aud, 'keygate-kiiex');
  t.is(claims.iat, NOW / 1000);
  t.is(claims.exp, NOW / 1000 + 86_400);
  t.regex(String(claims.jti), /^[A-Za-z0-9_-]{22}$/);
  t.deepEqual(Object.keys(claims).sort(), ['aud', 'exp', 'iat', 'iss', 'jti', 'sub']);
});

test('each token has its own jti', async (t) => {
  const { authenticateUser } = setup();
  const jti = async (nonce: string) =>
    decodeJwt(parse(await authenticateUser.handle(request({ headers: { ...signed(nonce) } })))['sessionToken'] as string).jti;
  t.not(await jti('a'), await jti('b'));
});

test('issuer, audience and lifetime are configurable', async (t) => {
  const { authenticateUser } = setup({ issuer: 'apex', audience: 'trading', sessionTtlSeconds: 600 });
  const claims = decodeJwt(parse(await authenticateUser.handle(request({ headers: { ...signed() } })))['sessionToken'] as string);
  t.like(claims, { iss: 'apex', aud: 'trading', exp: NOW / 1000 + 600 });
});

test('header names are case-insensitive and upper-case hex verifies (AlphaPoint examples upper-case it)', async (t) => {
  const { authenticateUser } = setup();
  const fields = signed();
  const headers = { APIKEY: fields.APIKey, SIGNATURE: fields.Signature.toUpperCase(), userid: fields.UserId, NONCE: fields.Nonce, UserName: 'alice' };
  t.true(parse(await authenticateUser.handle(request({ headers })))['authenticated']);
});

test('JSON body variant, UserId as a string or as an integer', async (t) => {
  const { authenticateUser } = setup();
  t.true(parse(await authenticateUser.handle(jsonRequest({ ...signed('n1'), UserName: 'alice' })))['authenticated']);
  const asInteger = { ...signed('n2'), UserId: USER_ID };
  t.true(parse(await authenticateUser.handle(jsonRequest(asInteger)))['authenticated']);
  const noContentType = request({ body: JSON.stringify(signed('n3')) });
  t.true(parse(await authenticateUser.handle(noContentType))['authenticated']);
  const vendorJson = request({ headers: { 'content-type': 'application/vnd.apex+json; charset=utf-8' }, body: JSON.stringify(signed('n4')) });
  t.true(parse(await authenticateUser.handle(vendorJson))['authenticated']);
});

test('any active secret verifies (rotation)', async (t) => {
  const { authenticateUser } = setup({ secrets: new Map([[API_KEY, { ...CREDENTIAL, secrets: ['old-secret', SECRET] }]]) });
  t.true(parse(await authenticateUser.handle(request({ headers: { ...signed('a') } })))['authenticated']);
  t.true(parse(await authenticateUser.handle(request({ headers: { ...signed('b', USER_ID, API_KEY, 'old-secret') } })))['authenticated']);
});

test('absent user fields are "", false and 0, never null', async (t) => {
  const { authenticateUser } = setup({ secrets: new Map([[API_KEY, { secrets: [SECRET], userId: 9 }]]) });
  const body = parse(await authenticateUser.handle(request({ headers: { ...signed('n', 9) } })));
  t.deepEqual(body['user'], { userId: 9, userName: '', email: '', emailVerified: false, accountId: 0, omsId: 0, use2FA: false });
});

test('an async secret lookup works', async (t) => {
  const { authenticateUser } = setup({ secrets: async (id) => (id === API_KEY ? CREDENTIAL : undefined) });
  t.true(parse(await authenticateUser.handle(request({ headers: { ...signed() } })))['authenticated']);
});

interface FailureCase {
  readonly title: string;
  readonly code: KeygateErrorCode;
  readonly status?: number;
  readonly errormsg?: RegExp;
  readonly request: () => SignedRequest;
  /** Extra values that must not appear (the signature the server computed for these fields). */
  readonly expected?: readonly string[];
  readonly options?: Parameters<typeof setup>[0];
  /** Runs first on the same instance (a replay needs an earlier success). */
  readonly before?: (handle: (req: SignedRequest) => Promise<unknown>) => Promise<void>;
}

const INVALID = /^Invalid APIKey or Signature/;
const fields = signed('nonce-f');
const failures: FailureCase[] = [
  {
    title: 'bad signature', code: 'bad_signature', errormsg: INVALID,
    request: () => request({ headers: { ...signed('nonce-f', USER_ID, API_KEY, 'wrong-secret') } }),
    expected: [expectedSignature('nonce-f', USER_ID, API_KEY)],
  },
  {
    title: 'signature over other fields (Nonce changed after signing)', code: 'bad_signature', errormsg: INVALID,
    request: () => request({ headers: { ...fields, Nonce: 'nonce-g' } }),
    expected: [expectedSignature('nonce-g', USER_ID, API_KEY)],
  },
  {
    title: 'unknown APIKey (same errormsg as a bad signature)', code: 'unknown_key', errormsg: INVALID,
    request: () => request({ headers: { ...signed('nonce-f', USER_ID, 'no-such-key') } }),
  },
  {
    title: 'UserId of another user, correctly signed', code: 'user_mismatch', errormsg: /^UserId is not the user/,
    request: () => request({ headers: { ...signed('nonce-f', 43) } }),
    expected: [expectedSignature('nonce-f', 43, API_KEY)],
  },
  {
    title: 'reused Nonce', code: 'replayed', errormsg: /Nonce was already used/,
    before: async (handle) => void (await handle(request({ headers: { ...fields } }))),
    request: () => request({ headers: { ...fields } }),
  },
  {
    title: 'reused Nonce, second time through the JSON body', code: 'replayed',
    before: async (handle) => void (await handle(request({ headers: { ...fields } }))),
    request: () => jsonRequest(fields),
  },
  {
    title: 'static Nonce without allowStaticNonce', code: 'replayed',
    options: { secrets: new Map([[API_KEY, { ...CREDENTIAL, nonce: 'static-nonce' }]]) },
    before: async (handle) => void (await handle(request({ headers: { ...signed('static-nonce') } }))),
    request: () => request({ headers: { ...signed('static-nonce') } }),
  },
  ...(['APIKey', 'Signature', 'UserId', 'Nonce'] as const).flatMap((name): FailureCase[] => [
    {
      title: `missing ${name} header`, code: 'missing_credentials', errormsg: new RegExp(`missing headers: ${name}$`),
      request: () => request({ headers: withoutField(fields, name) }),
    },
    {
      title: `missing ${name} JSON field`, code: 'missing_credentials', errormsg: new RegExp(`missing JSON body fields: ${name}$`),
      request: () => jsonRequest(withoutField(fields, name)),
    },
    {
      title: `${name} JSON field null`, code: 'missing_credentials',
      request: () => jsonRequest({ ...fields, [name]: null }),
    },
  ]),
  { title: 'no fields at all', code: 'missing_credentials', errormsg: /missing JSON body fields: APIKey, Signature, UserId, Nonce$/, request: () => request() },
  { title: 'empty JSON object', code: 'missing_credentials', request: () => jsonRequest({}) },
  { title: 'malformed JSON', code: 'malformed_body', errormsg: /not valid UTF-8 JSON/, request: () => request({ headers: { 'content-type': 'application/json' }, body: '{"APIKey": ' }) },
  { title: 'invalid UTF-8 in the body', code: 'malformed_body', request: () => request({ body: Buffer.from([0x7b, 0xff, 0x7d]) }) },
  { title: 'JSON array body', code: 'malformed_body', request: () => jsonRequest([fields]) },
  { title: 'JSON string body', code: 'malformed_body', request: () => jsonRequest('APIKey') },
  {
    title: 'form-encoded body', code: 'content_type', errormsg: /Content-Type: application\/json/,
    request: () => request({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'APIKey=x' }),
  },
  { title: 'Signature not hex', code: 'malformed_credentials', errormsg: /64 hex characters/, request: () => request({ headers: { ...fields, Signature: 'z'.repeat(64) } }) },
  { title: 'Signature one hex digit short', code: 'malformed_credentials', request: () => request({ headers: { ...fields, Signature: fields.Signature.slice(1) } }) },
  { title: 'Signature in base64', code: 'malformed_credentials', request: () => request({ headers: { ...fields, Signature: Buffer.from(fields.Signature, 'hex').toString('base64') } }) },
  ...['042', '-42', '+42', '42.0', '4e1', ' 42', 'forty-two', '99999999999999999'].map((userId): FailureCase => ({
    title: `UserId ${JSON.stringify(userId)}`, code: 'malformed_credentials', errormsg: /^UserId must be (a non-negative decimal integer|visible ASCII)/,
    request: () => jsonRequest({ ...signed('n', userId) }),
  })),
  ...[-1, 4.2, 2 ** 53, true, {}, []].map((userId): FailureCase => ({
    title: `UserId JSON ${JSON.stringify(userId)}`, code: 'malformed_credentials', errormsg: /UserId must be/,
    request: () => jsonRequest({ ...fields, UserId: userId }),
  })),
  { title: 'APIKey JSON number', code: 'malformed_credentials', errormsg: /APIKey must be a string/, request: () => jsonRequest({ ...fields, APIKey: 12 }) },
  { title: 'Nonce with a space', code: 'malformed_credentials', request: () => jsonRequest({ ...fields, Nonce: 'a b' }) },
  { title: 'Nonce over 512 characters', code: 'malformed_credentials', request: () => jsonRequest({ ...fields, Nonce: 'n'.repeat(513) }) },
  { title: 'APIKey header not ASCII', code: 'malformed_credentials', request: () => request({ headers: { ...fields, APIKey: 'cl\u00e9' } }) },
  {
    title: 'secret store throws', code: 'store_unavailable', status: 503, errormsg: /temporarily unavailable/,
    options: { secrets: () => { throw new Error(`db down, secret was ${SECRET}`); } },
    request: () => request({ headers: { ...fields } }),
  },
  {
    title: 'secret store times out', code: 'store_unavailable', status: 503,
    options: { secrets: () => new Promise(() => {}), storeTimeoutMs: 20 },
    request: () => request({ headers: { ...fields } }),
  },
  {
    title: 'secret store returns a credential without userId', code: 'store_unavailable', status: 503,
    options: { secrets: new Map([[API_KEY, { secrets: [SECRET] } as never]]) },
    request: () => request({ headers: { ...fields } }),
  },
  {
    title: 'nonce store throws', code: 'store_unavailable', status: 503,
    options: { nonces: { claim: () => { throw new Error('redis down'); } } },
    request: () => request({ headers: { ...fields } }),
  },
  {
    title: 'nonce store times out', code: 'store_unavailable', status: 503,
    options: { nonces: { claim: () => new Promise(() => {}) }, storeTimeoutMs: 20 },
    request: () => request({ headers: { ...fields } }),
  },
  {
    title: 'body too large (from the adapter)', code: 'body_too_large', status: 413,
    request: () => ({ ...request(), body: () => Promise.reject(new KeygateError('body_too_large', 'request body is larger than the 1048576-byte limit')) }),
  },
];

function withoutField(source: object, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(source).filter(([key]) => key !== name));
}

for (const failure of failures) {
  test(`refused: ${failure.title}`, async (t) => {
    const { authenticateUser } = setup(failure.options);
    await failure.before?.((req) => authenticateUser.handle(req));
    const error = await t.throwsAsync(authenticateUser.handle(failure.request()));
    if (!isKeygateError(error)) return t.fail(`not a KeygateError: ${String(error)}`);
    t.is(error.code, failure.code);
    const reply = authenticateUser.reject(error);
    t.is(reply.status, failure.status ?? 200);
    const body = parse(reply);
    t.deepEqual(Object.keys(body), ['authenticated', 'locked', 'errormsg']);
    t.is(body['authenticated'], false);
    t.is(body['locked'], false);
    t.is(typeof body['errormsg'], 'string');
    if (failure.errormsg) t.regex(body['errormsg'] as string, failure.errormsg);
    t.false(String(reply.body).includes('sessionToken'));
    assertNoLeak(t, [error.message, JSON.stringify(error), String(reply.body)], failure.expected ?? []);
  });
}

test('an unknown APIKey and a bad signature answer the same body', async (t) => {
  const { authenticateUser } = setup();
  const body = async (req: SignedRequest) => authenticateUser.reject((await t.throwsAsync(authenticateUser.handle(req))) as KeygateError).body;
  t.is(
    await body(request({ headers: { ...signed('x', USER_ID, 'no-such-key') } })),
    await body(request({ headers: { ...signed('x', USER_ID, API_KEY, 'wrong') } })),
  );
});

test('an unknown APIKey costs one HMAC, like a known one with a bad signature', async (t) => {
  let calls = 0;
  const hmac: Hmac = (key, parts) => {
    calls++;
    return hmacSha256(key, parts);
  };
  const { authenticateUser } = setup({ hmac });
  await t.throwsAsync(authenticateUser.handle(request({ headers: { ...signed('x', USER_ID, 'no-such-key') } })));
  t.is(calls, 1);
  await t.throwsAsync(authenticateUser.handle(request({ headers: { ...signed('y', USER_ID, API_KEY, 'wrong') } })));
  t.is(calls, 2);
});

test('a Nonce is claimed only after the signature verified, so a forger cannot burn it', async (t) => {
  const { authenticateUser } = setup();
  await t.throwsAsync(authenticateUser.handle(request({ headers: { ...signed('n', USER_ID, API_KEY, 'wrong') } })), { code: 'bad_signature' });
  await t.throwsAsync(authenticateUser.handle(request({ headers: { ...signed('n', 43) } })), { code: 'user_mismatch' });
  t.true(parse(await authenticateUser.handle(request({ headers: { ...signed('n') } })))['authenticated']);
});

test('Nonces are scoped per APIKey', async (t) => {
  const other = { ...CREDENTIAL, secrets: ['other-secret'], userId: 5 };
  const { authenticateUser } = setup({ secrets: new Map([[API_KEY, CREDENTIAL], ['other-key', other]]) });
  t.true(parse(await authenticateUser.handle(request({ headers: { ...signed('shared') } })))['authenticated']);
  const second = signKiiex({ apiKey: 'other-key', secret: 'other-secret', userId: 5, nonce: 'shared' });
  t.true(parse(await authenticateUser.handle(request({ headers: { ...second } })))['authenticated']);
});

test('a used Nonce is accepted again after the retention period', async (t) => {
  const clock = fixedClock();
  const { authenticateUser } = setup({ nonceRetentionMs: 1000, nonces: memoryNonceStore({ now: clock.now, sliceMs: 1000 }) }, clock);
  await authenticateUser.handle(request({ headers: { ...signed('n') } }));
  await t.throwsAsync(authenticateUser.handle(request({ headers: { ...signed('n') } })), { code: 'replayed' });
  clock.at += 2000; // the retention, and at most one expiry slice more
  t.true(parse(await authenticateUser.handle(request({ headers: { ...signed('n') } })))['authenticated']);
});

test('the nonce is kept at least 24 h by default, and as long as a longer session', async (t) => {
  const ttls: number[] = [];
  const nonces = { claim: (_scope: string, _nonce: string, ttlMs: number) => (ttls.push(ttlMs), true) };
  await setup({ nonces }).authenticateUser.handle(request({ headers: { ...signed('a') } }));
  await setup({ nonces, sessionTtlSeconds: 3 * 86_400 }).authenticateUser.handle(request({ headers: { ...signed('b') } }));
  await setup({ nonces, sessionTtlSeconds: 60 }).authenticateUser.handle(request({ headers: { ...signed('c') } }));
  t.deepEqual(ttls, [86_400_000, 3 * 86_400_000, 86_400_000]);
});

test('allowStaticNonce accepts the key export\'s static nonce repeatedly, and only that one', async (t) => {
  const { authenticateUser } = setup({ allowStaticNonce: true, secrets: new Map([[API_KEY, { ...CREDENTIAL, nonce: 'static-nonce' }]]) });
  for (let i = 0; i < 3; i++) {
    t.true(parse(await authenticateUser.handle(request({ headers: { ...signed('static-nonce') } })))['authenticated']);
  }
  await authenticateUser.handle(request({ headers: { ...signed('fresh') } }));
  await t.throwsAsync(authenticateUser.handle(request({ headers: { ...signed('fresh') } })), { code: 'replayed' });
});

test('allowStaticNonce changes nothing for a key without a static nonce', async (t) => {
  const { authenticateUser } = setup({ allowStaticNonce: true });
  await authenticateUser.handle(request({ headers: { ...signed('n') } }));
  await t.throwsAsync(authenticateUser.handle(request({ headers: { ...signed('n') } })), { code: 'replayed' });
});

test('a request signed for a re-split Nonce + UserId is refused (UserId is canonical)', async (t) => {
  const { authenticateUser } = setup();
  // "nonce-1" + "42" == "nonce-14" + "2": the same signed text, but UserId "2" is not this key's user.
  const original = signed('nonce-1');
  await authenticateUser.handle(request({ headers: { ...original } }));
  const resplit = { ...original, Nonce: 'nonce-14', UserId: '2' };
  await t.throwsAsync(authenticateUser.handle(request({ headers: resplit })), { code: 'user_mismatch' });
  const zeroPadded = { ...original, Nonce: 'nonce-', UserId: '142' };
  await t.throwsAsync(authenticateUser.handle(request({ headers: zeroPadded })), { code: 'user_mismatch' });
});
