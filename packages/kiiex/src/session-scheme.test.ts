import { createHmac } from 'node:crypto';
import test from 'ava';
import { decodeJwt, SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import { isKeygateError, memoryRevocationStore, type KeygateErrorCode } from '@keygate/core';
import { signKiiex } from './sign.js';
import { API_KEY, assertNoLeak, CREDENTIAL, fixedClock, NOW, parse, request, SECRET, SESSION_KEY, setup, USER_ID } from './test-fixtures.js';

type Instance = ReturnType<typeof setup>;
const KEY = new TextEncoder().encode(SESSION_KEY);

async function login(instance: Instance, nonce = 'n-1'): Promise<string> {
  const fields = signKiiex({ apiKey: API_KEY, secret: SECRET, userId: USER_ID, nonce });
  return parse(await instance.authenticateUser.handle(request({ headers: { ...fields } })))['sessionToken'] as string;
}

const withToken = (token: string) => request({ method: 'GET', path: '/kiiex/GetAccountPositions', headers: { aptoken: token } });

/** A token signed with the real session key but with chosen header and claims, as only a key holder could make. */
async function forge(claims: JWTPayload, header: { alg: string; typ?: string } = { alg: 'HS256', typ: 'JWT' }, key = KEY): Promise<string> {
  return new SignJWT(claims).setProtectedHeader(header).sign(key);
}

const without = (claim: string): JWTPayload => Object.fromEntries(Object.entries(base()).filter(([name]) => name !== claim));
const base = (): JWTPayload => ({
  jti: 'forged-jti', sub: API_KEY, iss: 'keygate-kiiex', aud: 'keygate-kiiex', iat: NOW / 1000, exp: NOW / 1000 + 60,
});

test('a valid aptoken verifies on every request; principal = APIKey', async (t) => {
  const instance = setup();
  const token = await login(instance);
  for (let i = 0; i < 3; i++) t.deepEqual(await instance.session.verify(withToken(token)), { principal: API_KEY });
  t.false(instance.session.readsBody);
  t.is(instance.session.name, 'kiiex');
});

test('the token is valid until one second before exp and refused from exp on', async (t) => {
  const instance = setup();
  const token = await login(instance);
  instance.clock.at = NOW + 86_399_000;
  t.deepEqual(await instance.session.verify(withToken(token)), { principal: API_KEY });
  instance.clock.at = NOW + 86_400_000;
  await t.throwsAsync(instance.session.verify(withToken(token)), { code: 'session_invalid', message: /expired/ });
});

test('tokens another jose issuer writes with the same key and claims verify: header order, typ spelling, audience list', async (t) => {
  const instance = setup();
  const variants = [
    await forge(base(), { typ: 'JWT', alg: 'HS256' } as never),
    await forge(base(), { alg: 'HS256', typ: 'application/JWT' }),
    await forge({ ...base(), aud: ['other', 'keygate-kiiex'] }),
    await forge({ ...base(), nbf: NOW / 1000 }),
  ];
  for (const token of variants) t.deepEqual(await instance.session.verify(withToken(token)), { principal: API_KEY });
});

test('another instance with the same session key, issuer and audience accepts the token', async (t) => {
  const token = await login(setup());
  t.deepEqual(await setup().session.verify(withToken(token)), { principal: API_KEY });
});

test('the session key is copied at start-up: changing the caller\'s bytes later changes nothing', async (t) => {
  const bytes = new Uint8Array(KEY);
  const instance = setup({ sessionKey: bytes });
  const token = await login(instance);
  bytes.fill(0);
  t.deepEqual(await instance.session.verify(withToken(token)), { principal: API_KEY });
});

interface Refusal {
  readonly title: string;
  readonly token: (instance: Instance) => Promise<string | undefined>;
  readonly code?: KeygateErrorCode;
  readonly status?: number;
  readonly detail?: RegExp;
  readonly instance?: () => Instance;
  readonly at?: number;
}

/** Signs arbitrary segments with the real session key, bypassing jose's own checks of what it signs. */
const signedWithKey = (header: string, payload: string): string =>
  `${header}.${payload}.${createHmac('sha256', KEY).update(`${header}.${payload}`).digest('base64url')}`;

const flip = (text: string, index: number): string => text.slice(0, index) + (text[index] === 'A' ? 'B' : 'A') + text.slice(index + 1);
const segments = (token: string): [string, string, string] => token.split('.') as [string, string, string];

const refusals: Refusal[] = [
  { title: 'missing aptoken', token: async () => undefined, code: 'missing_credentials', detail: /aptoken header is missing/ },
  { title: 'empty aptoken', token: async () => '', code: 'missing_credentials' },
  { title: 'not a JWT', token: async () => 'not-a-token' },
  { title: 'two segments', token: async (i) => segments(await login(i)).slice(0, 2).join('.') },
  { title: 'four segments', token: async (i) => `${await login(i)}.AAAA` },
  { title: 'Bearer prefix', token: async (i) => `Bearer ${await login(i)}` },
  { title: 'over 4096 characters', token: async (i) => `${'A'.repeat(4000)}${await login(i)}` },
  { title: 'tampered payload (sub changed)', token: async (i) => {
    const [header, , signature] = segments(await login(i));
    const payload = Buffer.from(JSON.stringify({ ...decodeJwt(await login(i, 'n-2')), sub: 'someone-else' })).toString('base64url');
    return `${header}.${payload}.${signature}`;
  }, detail: /signature does not verify/ },
  { title: 'tampered signature', token: async (i) => {
    const token = await login(i);
    return flip(token, token.length - 10);
  } },
  { title: 'non-canonical last signature character', token: async (i) => {
    const token = await login(i);
    const last = token.at(-1) as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    return token.slice(0, -1) + (alphabet[alphabet.indexOf(last) ^ 1] as string);
  } },
  { title: 'signed with another key', token: async () => forge(base(), undefined, new TextEncoder().encode('x'.repeat(32))) },
  { title: 'expired', token: (i) => login(i), at: NOW + 86_400_000 + 1, detail: /expired/ },
  { title: 'wrong issuer', token: async () => forge({ ...base(), iss: 'someone-else' }), detail: /iss claim/ },
  { title: 'wrong audience', token: async () => forge({ ...base(), aud: 'someone-else' }), detail: /aud claim/ },
  { title: 'token from an instance with another issuer', token: (i) => login(i), instance: () => setup({ issuer: 'apex-other' }) },
  { title: 'alg none', token: async () => new UnsecuredJWT(base()).encode() },
  { title: 'alg HS512 with the same key', token: async () => forge(base(), { alg: 'HS512', typ: 'JWT' }) },
  { title: 'alg HS384 in the header of an HS256-length token', detail: /HS256/, token: async () => {
    const [, payload, signature] = segments(await forge(base()));
    return `${Buffer.from(JSON.stringify({ alg: 'HS384', typ: 'JWT' })).toString('base64url')}.${payload}.${signature}`;
  } },
  { title: 'typ missing', token: async () => forge(base(), { alg: 'HS256' }) },
  { title: 'jti missing', token: async () => forge(without('jti')) },
  { title: 'sub missing', token: async () => forge(without('sub')) },
  { title: 'exp missing', token: async () => forge(without('exp')) },
  { title: 'jti not a string', token: async () => forge({ ...base(), jti: 7 as never }) },
  { title: 'jti empty', token: async () => forge({ ...base(), jti: '' }) },
  { title: 'iat not a number', token: async () => forge({ ...base(), iat: '1' as never }), detail: /iat claim/ },
  { title: 'exp not a number', token: async () => forge({ ...base(), exp: String(NOW / 1000 + 60) as never }), detail: /exp claim/ },
  { title: 'nbf in the future', token: async () => forge({ ...base(), nbf: NOW / 1000 + 1 }), detail: /nbf claim/ },
  { title: 'audience list without ours', token: async () => forge({ ...base(), aud: ['a', 'b'] }), detail: /aud claim/ },
  { title: 'payload not a JSON object', detail: /payload is not a JSON object/, token: async () => {
    const [header] = segments(await forge(base()));
    return signedWithKey(header, Buffer.from('[1]').toString('base64url'));
  } },
  { title: 'payload not JSON', detail: /not a well-formed/, token: async () => {
    const [header] = segments(await forge(base()));
    return signedWithKey(header, Buffer.from('{"jti":').toString('base64url'));
  } },
  { title: 'crit header', detail: /extension/, token: async () => {
    const [, payload] = segments(await forge(base()));
    return signedWithKey(Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', crit: ['b64'], b64: false })).toString('base64url'), payload);
  } },
  { title: 'typ other than JWT', token: async () => forge(base(), { alg: 'HS256', typ: 'at+jwt' }), detail: /typ header/ },
  {
    title: 'revoked by LogOut', detail: /ended by LogOut/,
    token: async (i) => {
      const token = await login(i);
      await i.logOut.handle(withToken(token));
      return token;
    },
  },
  {
    title: 'revocation store throws', code: 'store_unavailable', status: 503,
    instance: () => setup({ revocations: { revoke: () => {}, isRevoked: () => { throw new Error('redis down'); } } }),
    token: (i) => login(i),
  },
  {
    title: 'revocation store times out', code: 'store_unavailable', status: 503,
    instance: () => setup({ storeTimeoutMs: 20, revocations: { revoke: () => {}, isRevoked: () => new Promise(() => {}) } }),
    token: (i) => login(i),
  },
];

for (const refusal of refusals) {
  test(`aptoken refused: ${refusal.title}`, async (t) => {
    const issuer = setup();
    const token = await refusal.token(issuer);
    const verifier = refusal.instance?.() ?? issuer;
    if (refusal.instance) verifier.clock.at = issuer.clock.at;
    if (refusal.at !== undefined) verifier.clock.at = refusal.at;
    const req = request({ method: 'GET', headers: token === undefined ? {} : { aptoken: token } });
    const error = await t.throwsAsync(verifier.session.verify(req));
    if (!isKeygateError(error)) return t.fail(`not a KeygateError: ${String(error)}`);
    t.is(error.code, refusal.code ?? 'session_invalid');
    const reply = verifier.session.reject(error);
    const status = refusal.status ?? 401;
    t.is(reply.status, status);
    const body = parse(reply);
    t.deepEqual(Object.keys(body), ['result', 'errormsg', 'errorcode', 'detail']);
    if (status === 401) t.like(body, { result: false, errormsg: 'Not Authorized', errorcode: 20 });
    else t.like(body, { result: false, errormsg: 'Server Error', errorcode: 102 });
    if (refusal.detail) t.regex(body['detail'] as string, refusal.detail);
    const forbidden = token !== undefined && token.length > 20 ? [token, segments(token)[2] ?? ''] : [];
    assertNoLeak(t, [error.message, JSON.stringify(error), String(reply.body)], forbidden);
  });
}

test('a token issued before a clock far in the past is still checked for expiry with the injected clock', async (t) => {
  const clock = fixedClock(NOW);
  const instance = setup({ sessionTtlSeconds: 10, revocations: memoryRevocationStore({ now: clock.now }) }, clock);
  const token = await login(instance);
  clock.at += 9_999;
  t.deepEqual(await instance.session.verify(withToken(token)), { principal: API_KEY });
  clock.at += 1;
  await t.throwsAsync(instance.session.verify(withToken(token)), { code: 'session_invalid' });
});

test('removing the APIKey from the store ends its sessions at once; rotating its secret keeps them', async (t) => {
  const store = new Map([[API_KEY, CREDENTIAL]]);
  const instance = setup({ secrets: store });
  const token = await login(instance);
  store.set(API_KEY, { ...CREDENTIAL, secrets: [{ secret: 'next-secret', notBefore: NOW }, { secret: SECRET, notAfter: NOW - 1 }] });
  t.deepEqual(await instance.session.verify(withToken(token)), { principal: API_KEY }, 'a rotated secret keeps the session');
  store.delete(API_KEY);
  await t.throwsAsync(instance.session.verify(withToken(token)), { code: 'session_invalid', message: /no longer configured/ });
  const logOut = await instance.logOut.handle(withToken(token)).catch((error) => instance.logOut.reject(error));
  t.is(logOut.status, 401);
});

test('an async secret store is asked about the session\'s APIKey too, and its failure fails closed', async (t) => {
  let answer: 'known' | 'gone' | 'down' = 'known';
  const instance = setup({
    secrets: async () => {
      if (answer === 'down') throw new Error('db down');
      return answer === 'known' ? CREDENTIAL : undefined;
    },
  });
  const token = await login(instance);
  t.deepEqual(await instance.session.verify(withToken(token)), { principal: API_KEY });
  answer = 'gone';
  await t.throwsAsync(instance.session.verify(withToken(token)), { code: 'session_invalid' });
  answer = 'down';
  await t.throwsAsync(instance.session.verify(withToken(token)), { code: 'store_unavailable' });
});
