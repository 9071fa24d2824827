// Every gateway as its own process (Express, Koa, Fastify, Hono) on a real three-master Redis Cluster: replay and
// session state are shared across processes, a dead master fails closed for exactly its keys, and a restarted master
// (AOF) forgets nothing.
import { spawnSync } from 'node:child_process';
import test from 'ava';
import { signInqud } from '@keygate/inqud';
import { signKiiex } from '@keygate/kiiex';
import { createCluster } from 'redis';
import { nonceLocation, redisNonceStore, redisRevocationStore } from '@keygate/redis';
import { demo } from './helpers/demo-credentials.js';
import { FRAMEWORKS, ring, startGatewayProcess, startGateways, type GatewayProcess } from './helpers/gateways.js';
import { send, type Reply } from './helpers/http.js';
import { startRedisCluster, type ClusterNode, type RedisCluster } from './helpers/redis-cluster.js';

const inqudCredential = demo.inqud[0]!;
const kiiexCredential = demo.kiiex[0]!;
const body = '{"amount": 7}';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let cluster: RedisCluster;
let gateways: GatewayProcess[] = [];

test.before(async () => {
  cluster = await startRedisCluster(3);
  gateways = await startGateways({
    REDIS_CLUSTER_URLS: cluster.urls,
    KEYGATE_SESSION_KEY: 'cluster-session-key-0123456789abcdef-0123456789',
  });
});
test.after.always(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  await cluster?.stop();
});

function post(gateway: GatewayProcess, salt: string): Promise<Reply> {
  const headers = signInqud({ tokenId: inqudCredential.tokenId, secret: inqudCredential.secret, body, salt });
  return send(`${gateway.url}/inqud/v1/pay`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
}

// Every slice of a bucket shares its hash tag, so the node that holds a salt does not depend on the time.
const keyOf = (salt: string): string => nonceLocation(`inqud:${inqudCredential.tokenId}`, salt, 86_400_000).key;

/** Fresh salts whose keys live on `node` (or, with `elsewhere`, on any other node). */
async function saltsOn(node: ClusterNode, count: number, elsewhere = false): Promise<string[]> {
  const salts: string[] = [];
  for (let i = 0; salts.length < count; i++) {
    const salt = `cluster-${node.port}-${elsewhere}-${Date.now()}-${i}`;
    if (((await cluster.nodeFor(keyOf(salt))) === node) !== elsewhere) salts.push(salt);
  }
  return salts;
}

test.serial('every gateway keeps its replay state in the cluster', (t) => {
  for (const gateway of gateways) t.regex(gateway.output(), /replay state: redis cluster/, gateway.framework);
});

test.serial('a salt, a Kiiex Nonce and a LogOut used on one process are refused on the next', async (t) => {
  for (const [first, second] of ring(gateways)) {
    const salt = `shared-${first.framework}-${Date.now()}`;
    t.is((await post(first, salt)).status, 200);
    const replay = await post(second, salt);
    t.is(replay.status, 401);
    t.is(replay.json()['code'], 'replayed');

    const login = { ...signKiiex({ apiKey: kiiexCredential.apiKey, secret: kiiexCredential.secret, userId: kiiexCredential.userId }) };
    const session = await send(`${first.url}/kiiex/AuthenticateUser`, { method: 'POST', headers: login });
    t.like(session.json(), { authenticated: true });
    const reused = await send(`${second.url}/kiiex/AuthenticateUser`, { method: 'POST', headers: login });
    t.like(reused.json(), { authenticated: false, locked: false });

    const token = session.json<{ sessionToken: string }>().sessionToken;
    t.is((await send(`${second.url}/kiiex/GetUserInfo`, { headers: { aptoken: token } })).status, 200);
    t.deepEqual((await send(`${first.url}/kiiex/LogOut`, { method: 'POST', headers: { aptoken: token } })).json(), { result: true });
    t.is((await send(`${second.url}/kiiex/GetUserInfo`, { headers: { aptoken: token } })).status, 401);
  }
});

test.serial('the stores take a cluster client: one atomic claim wins of many, revocations hold', async (t) => {
  const client = createCluster({ rootNodes: [{ url: cluster.nodes[0]!.url }], defaults: { disableOfflineQueue: true } });
  client.on('error', () => {});
  await client.connect();
  try {
    const nonces = redisNonceStore(client);
    for (let round = 0; round < 5; round++) {
      const nonce = `same-${round}-${Date.now()}`;
      const results = await Promise.all(Array.from({ length: 30 }, () => nonces.claim('s', nonce, 60_000)));
      t.is(results.filter(Boolean).length, 1);
    }
    const revocations = redisRevocationStore(client);
    await revocations.revoke('jti-cluster', Date.now() + 60_000);
    t.true(await revocations.isRevoked('jti-cluster'));
    t.false(await revocations.isRevoked('jti-other'));
  } finally {
    client.destroy();
  }
});

test.serial('nonce keys spread over every master', async (t) => {
  for (const node of cluster.nodes) {
    const [salt] = await saltsOn(node, 1);
    t.is((await post(gateways[0]!, salt!)).status, 200);
    const size = spawnSync('redis-cli', ['-p', String(node.port), 'dbsize'], { encoding: 'utf8' }).stdout.trim();
    t.true(Number(size) > 0, `node ${node.port} holds keys`);
  }
});

test.serial('a master killed: its keys fail closed with 503, the rest is served, nothing is accepted twice; restarted, it still refuses its salts', async (t) => {
  const victim = cluster.nodes[1]!;
  const held = await saltsOn(victim, 4);
  const heldElsewhere = await saltsOn(victim, 4, true);
  for (const salt of [...held, ...heldElsewhere]) t.is((await post(gateways[0]!, salt)).status, 200);
  const freshOnVictim = await saltsOn(victim, 4);
  const freshElsewhere = await saltsOn(victim, 6, true);

  await victim.kill();
  for (const gateway of gateways) {
    for (const salt of [...freshOnVictim, ...held]) {
      const reply = await post(gateway, salt);
      t.is(reply.status, 503, `${gateway.framework}: a key on the dead master is refused, never accepted: ${reply.body}`);
      t.is(reply.json()['code'], 'store_unavailable');
    }
    for (const salt of heldElsewhere) t.is((await post(gateway, salt)).status, 401, `${gateway.framework}: a replay on a live master`);
  }
  for (const [i, salt] of freshElsewhere.entries()) {
    const reply = await post(gateways[i % gateways.length]!, salt);
    t.is(reply.status, 200, `keys on the live masters are served: ${reply.body}`);
  }

  await victim.start();
  await cluster.waitHealthy();
  for (const gateway of gateways) {
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      const [salt] = await saltsOn(victim, 1);
      status = (await post(gateway, salt!)).status;
      if (status !== 200) {
        t.is(status, 503, 'while the client reconnects, still fail closed');
        await sleep(100);
      }
    }
    t.is(status, 200, `${gateway.framework} is served by the restarted master`);
  }
  for (const gateway of gateways) {
    for (const salt of held) {
      const reply = await post(gateway, salt);
      t.is(reply.status, 401, `${gateway.framework}: the restarted master remembers a salt it held (append-only file)`);
      t.is(reply.json()['code'], 'replayed');
    }
    for (const salt of freshOnVictim) t.is((await post(gateway, salt)).status, gateway === gateways[0] ? 200 : 401, 'refused during the outage, so still unused');
  }
});

test.serial('REDIS_URL and REDIS_CLUSTER_URLS together are a start-up error on every gateway', async (t) => {
  for (const framework of FRAMEWORKS) {
    const error = await t.throwsAsync(startGatewayProcess(framework, { REDIS_URL: cluster.nodes[0]!.url, REDIS_CLUSTER_URLS: cluster.urls }));
    t.regex(error.message, /exited with 1/, framework);
    t.regex(error.message, /set either REDIS_URL .* or REDIS_CLUSTER_URLS/, framework);
  }
});
