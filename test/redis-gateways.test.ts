// Every gateway as its own process (Express, Koa, Fastify, Hono), all sharing one real Redis: replay state is shared,
// Redis faults fail closed.
// Kiiex nonces and logouts across processes: kiiex-redis.test.ts.
import test from 'ava';
import { createClient } from 'redis';
import { signInqud } from '@keygate/inqud';
import { demo } from './helpers/demo-credentials.js';
import { startGateways, type GatewayProcess } from './helpers/gateways.js';
import { send } from './helpers/http.js';
import { startRedisServer, type RedisServer } from './helpers/redis-server.js';

let redis: RedisServer;
let gateways: GatewayProcess[] = [];
const { tokenId, secret } = demo.inqud[0]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test.before(async () => {
  redis = await startRedisServer();
  // Two buckets (every process sharing a Redis must use the same number): the test below sees them in the keys.
  gateways = await startGateways({ REDIS_URL: redis.url, KEYGATE_SESSION_KEY: 'k'.repeat(48), KEYGATE_REDIS_NONCE_BUCKETS: '2' });
});
test.after.always(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  await redis?.stop();
});

function inqudPost(gateway: GatewayProcess, headers: Record<string, string>, body: string) {
  return send(`${gateway.url}/inqud/v1/pay`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
}

test.serial('every gateway says its replay state lives in Redis', (t) => {
  for (const gateway of gateways) t.regex(gateway.output(), /replay state: redis/, gateway.framework);
});

test.serial('an Inqud salt used on one process is refused on every other', async (t) => {
  const body = '{"amount": 1}';
  for (const first of gateways) {
    const headers = signInqud({ tokenId, secret, body });
    t.is((await inqudPost(first, headers, body)).status, 200, first.framework);
    for (const other of gateways.filter((g) => g !== first)) {
      const replay = await inqudPost(other, headers, body);
      t.is(replay.status, 401, `${first.framework} salt on ${other.framework}`);
      t.is(replay.json()['code'], 'replayed');
    }
  }
});

test.serial('KEYGATE_REDIS_NONCE_BUCKETS reaches the store: the salts so far fill no more hashes than two buckets allow', async (t) => {
  const client = createClient({ url: redis.url });
  await client.connect();
  try {
    const keys = (await client.sendCommand(['KEYS', 'kg*'])) as string[];
    t.true(keys.length > 0);
    for (const key of keys) t.regex(key, /^kg\{[01]\}\d+:[0-9a-z]+$/);
  } finally {
    client.destroy();
  }
});

test.serial('the same salt fired at every process at once, twice each, is accepted exactly once', async (t) => {
  const body = '{"amount": 2}';
  for (let round = 0; round < 10; round++) {
    const headers = signInqud({ tokenId, secret, body });
    const replies = await Promise.all([...gateways, ...gateways].map((g) => inqudPost(g, headers, body)));
    t.is(replies.filter((r) => r.status === 200).length, 1, `round ${round}`);
    t.true(replies.every((r) => r.status === 200 || r.json()['code'] === 'replayed'));
  }
});

test.serial('Redis stopped mid-run: 503s and no crash; service resumes after it restarts', async (t) => {
  const body = '{"amount": 3}';
  await redis.stop();
  for (const gateway of gateways) {
    const reply = await inqudPost(gateway, signInqud({ tokenId, secret, body }), body);
    t.is(reply.status, 503, `${gateway.framework}: ${reply.body}`);
    t.is(reply.json()['code'], 'store_unavailable');
    t.false(reply.body.includes(secret));
    t.is((await send(`${gateway.url}/healthz`)).status, 200, 'still serving');
  }
  await redis.start();
  for (const gateway of gateways) {
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await inqudPost(gateway, signInqud({ tokenId, secret, body }), body)).status;
      if (status !== 200) await sleep(100);
    }
    t.is(status, 200, `${gateway.framework} recovered`);
    t.is(gateway.child.exitCode, null, 'process still running');
  }
});
