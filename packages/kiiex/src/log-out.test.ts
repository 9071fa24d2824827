import test from 'ava';
import { decodeJwt } from 'jose';
import { isKeygateError, KeygateError, type RevocationStore } from '@keygate/core';
import { signKiiex } from './sign.js';
import { API_KEY, assertNoLeak, NOW, parse, request, SECRET, setup, USER_ID } from './test-fixtures.js';

async function login(instance: ReturnType<typeof setup>, nonce = 'n-1'): Promise<string> {
  const fields = signKiiex({ apiKey: API_KEY, secret: SECRET, userId: USER_ID, nonce });
  return parse(await instance.authenticateUser.handle(request({ headers: { ...fields } })))['sessionToken'] as string;
}

const withToken = (token: string) => request({ path: '/kiiex/LogOut', headers: { aptoken: token } });

test('LogOut answers {"result": true} and the token is refused afterwards, other tokens are not', async (t) => {
  const instance = setup();
  const token = await login(instance);
  const other = await login(instance, 'n-2');
  const reply = await instance.logOut.handle(withToken(token));
  t.is(reply.status, 200);
  t.deepEqual(parse(reply), { result: true });
  await t.throwsAsync(instance.session.verify(withToken(token)), { code: 'session_invalid', message: /LogOut/ });
  t.deepEqual(await instance.session.verify(withToken(other)), { principal: API_KEY });
});

test('LogOut revokes the jti until the token\'s own expiry', async (t) => {
  const revoked: [string, number][] = [];
  const revocations: RevocationStore = { revoke: (id, until) => void revoked.push([id, until]), isRevoked: () => false };
  const instance = setup({ revocations, sessionTtlSeconds: 3600 });
  const token = await login(instance);
  await instance.logOut.handle(withToken(token));
  t.deepEqual(revoked, [[decodeJwt(token).jti as string, NOW + 3_600_000]]);
});

test('a logged-out token is accepted by no one sharing the revocation store, until it would have expired anyway', async (t) => {
  const instance = setup();
  const token = await login(instance);
  await instance.logOut.handle(withToken(token));
  const error = await t.throwsAsync(instance.logOut.handle(withToken(token)));
  if (!isKeygateError(error)) return t.fail();
  t.is(instance.logOut.reject(error).status, 401);
});

for (const [title, token] of [['missing', undefined], ['garbage', 'x.y.z'], ['tampered', 'TAMPER']] as const) {
  test(`LogOut with a ${title} aptoken is a 401 and revokes nothing`, async (t) => {
    let revokes = 0;
    const instance = setup({ revocations: { revoke: () => void revokes++, isRevoked: () => false } });
    const valid = await login(instance);
    const sent = token === 'TAMPER' ? `${valid.slice(0, -5)}AAAAA` : token;
    const error = await t.throwsAsync(instance.logOut.handle(request({ headers: sent === undefined ? {} : { aptoken: sent } })));
    if (!isKeygateError(error)) return t.fail();
    const reply = instance.logOut.reject(error);
    t.is(reply.status, 401);
    t.like(parse(reply), { result: false, errormsg: 'Not Authorized', errorcode: 20 });
    t.is(revokes, 0);
    assertNoLeak(t, [error.message, JSON.stringify(error), String(reply.body)], [valid]);
  });
}

test('LogOut with a body over the limit is a 413 and revokes nothing', async (t) => {
  let revokes = 0;
  const instance = setup({ revocations: { revoke: () => void revokes++, isRevoked: () => false } });
  const tooLarge = { ...withToken(await login(instance)), body: () => Promise.reject(new KeygateError('body_too_large', 'over')) };
  const error = await t.throwsAsync(instance.logOut.handle(tooLarge), { code: 'body_too_large' });
  if (!isKeygateError(error)) return t.fail();
  t.is(instance.logOut.reject(error).status, 413);
  t.is(revokes, 0);
});

test('LogOut fails closed with 503 when the revocation store fails', async (t) => {
  const instance = setup({ revocations: { revoke: () => Promise.reject(new Error('down')), isRevoked: () => false } });
  const token = await login(instance);
  const error = await t.throwsAsync(instance.logOut.handle(withToken(token)));
  if (!isKeygateError(error)) return t.fail();
  t.is(error.code, 'store_unavailable');
  const reply = instance.logOut.reject(error);
  t.is(reply.status, 503);
  t.like(parse(reply), { result: false, errormsg: 'Server Error', errorcode: 102 });
});
