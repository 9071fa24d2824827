// Every gateway as its own process (Express, Koa, Fastify, Hono), all sharing one real Redis and one
// KEYGATE_SESSION_KEY: a Kiiex Nonce used on one is refused on the others, a token from one works on the others, and
// LogOut on one ends the token on all of them.
import test from 'ava';
import { signKiiex } from '@keygate/kiiex';
import { demo } from './helpers/demo-credentials.js';
import { ring, startGateways, type GatewayProcess } from './helpers/gateways.js';
import { send } from './helpers/http.js';
import { startRedisServer, type RedisServer } from './helpers/redis-server.js';

const { apiKey, secret, userId } = demo.kiiex[0]!;
let redis: RedisServer;
let gateways: GatewayProcess[] = [];

test.before(async () => {
  redis = await startRedisServer();
  gateways = await startGateways({ REDIS_URL: redis.url, KEYGATE_SESSION_KEY: 'redis-kiiex-session-key-7e9c1a3f5b2d4e6a8c0f' });
});
test.after.always(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  await redis?.stop();
});

const authenticate = (on: GatewayProcess, fields: Record<string, string>) =>
  send(`${on.url}/kiiex/AuthenticateUser`, { method: 'POST', headers: fields });

test.serial('a Nonce used on one process is refused on the next', async (t) => {
  for (const [first, second] of ring(gateways)) {
    const fields = { ...signKiiex({ apiKey, secret, userId }) };
    t.like((await authenticate(first, fields)).json(), { authenticated: true });
    const replay = await authenticate(second, fields);
    t.is(replay.status, 200);
    t.like(replay.json(), { authenticated: false, locked: false });
    t.regex(String(replay.json()['errormsg']), /Nonce was already used/);
  }
});

test.serial('LogOut on one process ends the token on every process', async (t) => {
  for (const [issuer, other] of ring(gateways)) {
    const token = (await authenticate(issuer, { ...signKiiex({ apiKey, secret, userId }) })).json<{ sessionToken: string }>().sessionToken;
    for (const on of gateways) t.is((await send(`${on.url}/kiiex/GetUserInfo`, { headers: { aptoken: token } })).status, 200, on.framework);
    t.deepEqual((await send(`${other.url}/kiiex/LogOut`, { method: 'POST', headers: { aptoken: token } })).json(), { result: true });
    for (const on of gateways) {
      const refused = await send(`${on.url}/kiiex/GetUserInfo`, { headers: { aptoken: token } });
      t.is(refused.status, 401, on.framework);
      t.regex(String(refused.json()['detail']), /ended by LogOut/);
    }
  }
});

test.serial('with Redis stopped, AuthenticateUser and aptoken checks fail closed with 503 and never hand out a token', async (t) => {
  const token = (await authenticate(gateways[0]!, { ...signKiiex({ apiKey, secret, userId }) })).json<{ sessionToken: string }>().sessionToken;
  await redis.stop();
  try {
    for (const on of gateways) {
      const login = await authenticate(on, { ...signKiiex({ apiKey, secret, userId }) });
      t.is(login.status, 503, `${on.framework}: ${login.body}`);
      t.like(login.json(), { authenticated: false, locked: false });
      t.false(login.body.includes('sessionToken'));
      const call = await send(`${on.url}/kiiex/GetUserInfo`, { headers: { aptoken: token } });
      t.is(call.status, 503, `${on.framework}: ${call.body}`);
      t.like(call.json(), { result: false, errormsg: 'Server Error', errorcode: 102 });
    }
  } finally {
    await redis.start();
  }
});
