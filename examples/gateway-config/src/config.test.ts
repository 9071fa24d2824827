import test from 'ava';
import { fakeSignedRequest, type NonceStore } from '@keygate/core';
import { signInqud } from '@keygate/inqud';
import { signKiiex } from '@keygate/kiiex';
import { loadGatewayConfig } from './config.js';
import { parseDuration } from './duration.js';
import { gatewayRoutes } from './routes/index.js';
import type { GatewayStores } from './stores.js';

test('durations: milliseconds or an integer with a unit; anything else names the variable', (t) => {
  t.is(parseDuration('1500', 'X'), 1500);
  t.is(parseDuration('30s', 'X'), 30_000);
  t.is(parseDuration('90m', 'X'), 5_400_000);
  t.is(parseDuration('24h', 'X'), 86_400_000);
  t.is(parseDuration('7d', 'X'), 604_800_000);
  for (const bad of ['0', '-5s', '1.5h', '10 years', 'h', '']) {
    t.throws(() => parseDuration(bad, 'KEYGATE_INQUD_SALT_RETENTION'), { message: /^KEYGATE_INQUD_SALT_RETENTION must be a positive duration/ }, bad);
  }
});

test('the replay variables are read from the environment', (t) => {
  const config = loadGatewayConfig({
    KEYGATE_REPLAY_MAX_BYTES: '64mb', KEYGATE_INQUD_SALT_RETENTION: '2h', KEYGATE_KIIEX_NONCE_RETENTION: '36h',
  });
  t.is(config.replayMaxBytes, 64 * 1024 * 1024);
  t.is(config.inqudSaltRetentionMs, 7_200_000);
  t.is(config.kiiexNonceRetentionMs, 129_600_000);
  t.deepEqual(loadGatewayConfig({}).redis, undefined);
  t.is(loadGatewayConfig({}).replayMaxBytes, undefined);
  t.throws(() => loadGatewayConfig({ KEYGATE_REPLAY_MAX_BYTES: 'lots' }), { message: /KEYGATE_REPLAY_MAX_BYTES must be a positive byte count/ });
});

test('KEYGATE_REDIS_NONCE_BUCKETS takes a power of two up to 65536', (t) => {
  t.is(loadGatewayConfig({ KEYGATE_REDIS_NONCE_BUCKETS: '32768' }).redisNonceBuckets, 32_768);
  t.is(loadGatewayConfig({}).redisNonceBuckets, undefined);
  for (const bad of ['0', '3000', '131072', '1e3', '-4', 'many']) {
    t.throws(() => loadGatewayConfig({ KEYGATE_REDIS_NONCE_BUCKETS: bad }), { message: /^KEYGATE_REDIS_NONCE_BUCKETS must be a power of two from 1 to 65536/ }, bad);
  }
});

test('REDIS_URL or REDIS_CLUSTER_URLS, never both; URLs are checked without being echoed', (t) => {
  t.deepEqual(loadGatewayConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redis, { kind: 'single', url: 'redis://127.0.0.1:6379' });
  t.deepEqual(loadGatewayConfig({ REDIS_CLUSTER_URLS: ' redis://a:7000, redis://b:7001 ,' }).redis, {
    kind: 'cluster', urls: ['redis://a:7000', 'redis://b:7001'],
  });
  t.throws(() => loadGatewayConfig({ REDIS_URL: 'redis://a:1', REDIS_CLUSTER_URLS: 'redis://b:2' }), { message: /not both/ });
  const secretUrl = 'http://user:hunter2@a:7000';
  const error = t.throws(() => loadGatewayConfig({ REDIS_CLUSTER_URLS: secretUrl }));
  t.regex(error.message, /REDIS_CLUSTER_URLS must hold redis:\/\/ or rediss:\/\/ URLs/);
  t.false(error.message.includes('hunter2'));
  t.throws(() => loadGatewayConfig({ REDIS_CLUSTER_URLS: ' , ' }), { message: /REDIS_CLUSTER_URLS must hold/ });
});

test('the retentions reach the schemes: Inqud salts and Kiiex Nonces are claimed for the configured time', async (t) => {
  const claims: { scope: string; ttlMs: number }[] = [];
  const nonces: NonceStore = { claim: (scope, _nonce, ttlMs) => (claims.push({ scope, ttlMs }), true) };
  const stores: GatewayStores = {
    nonces, revocations: { revoke: () => {}, isRevoked: () => false }, kind: 'memory',
    ready: () => true, replayUsage: () => undefined, close: async () => {},
  };
  const config = { ...loadGatewayConfig({ KEYGATE_INQUD_SALT_RETENTION: '2h', KEYGATE_KIIEX_NONCE_RETENTION: '36h', KEYGATE_SESSION_KEY: 'k'.repeat(40) }) };
  const [inqud, , kiiex] = gatewayRoutes({ config, stores, log: () => {} });
  const { tokenId, secret } = config.credentials.inqud[0]!;
  await inqud!.scheme.verify(fakeSignedRequest(signInqud({ tokenId, secret, body: '' }), ''));
  const { apiKey, secret: kiiexSecret, userId } = config.credentials.kiiex[0]!;
  await kiiex!.endpoints![0]!.endpoint.handle(fakeSignedRequest({ ...signKiiex({ apiKey, secret: kiiexSecret, userId }) }));
  t.deepEqual(claims.map((c) => c.ttlMs), [7_200_000, 129_600_000]);
});
