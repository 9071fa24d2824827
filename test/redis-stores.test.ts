// @keygate/redis against a real redis-server started for this file.
import test from 'ava';
import { createClient } from 'redis';
import { nonceKey, redisNonceStore, redisRevocationStore } from '@keygate/redis';
import { startRedisServer, type RedisServer } from './helpers/redis-server.js';

let redis: RedisServer;
let client: ReturnType<typeof createClient>;

test.before(async () => {
  redis = await startRedisServer();
  client = createClient({ url: redis.url, socket: { reconnectStrategy: 50 } });
  client.on('error', () => {});
  await client.connect();
});
test.after.always(async () => {
  client.destroy();
  await redis.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test.serial('a nonce claims once per scope, with one atomic SET NX PX', async (t) => {
  const store = redisNonceStore(client, { prefix: 'test1:' });
  t.true(await store.claim('inqud:TKN-1', 'salt', 60_000));
  t.false(await store.claim('inqud:TKN-1', 'salt', 60_000));
  t.true(await store.claim('inqud:TKN-2', 'salt', 60_000), 'scopes are separate');
  const ttl = Number(await client.sendCommand(['PTTL', nonceKey('inqud:TKN-1', 'salt', 'test1:')]));
  t.true(ttl > 59_000 && ttl <= 60_000, `key carries the TTL (${ttl})`);
});

test.serial('keys are compact: the prefix and 12 bytes of fingerprint, never the scope or the nonce', async (t) => {
  const store = redisNonceStore(client);
  const salt = 'a'.repeat(64);
  t.true(await store.claim('inqud:TKN-6c1296b8-6929-443b-ac06-f732e0e27be1', salt, 60_000));
  const key = nonceKey('inqud:TKN-6c1296b8-6929-443b-ac06-f732e0e27be1', salt);
  t.is(key.byteLength, 14);
  t.is(key.subarray(0, 2).toString(), 'kg');
  t.is(Number(await client.sendCommand(['EXISTS', key])), 1);
  const keys = (await client.sendCommand(['KEYS', '*'])) as string[];
  t.false(keys.some((k) => k.includes(salt) || k.includes('TKN-')), 'no key holds the salt or the token id');
});

test('fingerprints keep scope and nonce apart, whatever characters they hold', (t) => {
  t.notDeepEqual(nonceKey('ab', 'c'), nonceKey('a', 'bc'));
  t.notDeepEqual(nonceKey('s', 'caf\u00e9'), nonceKey('s', 'cafe\u0301'));
  t.notDeepEqual(nonceKey('1:', 'x'), nonceKey('', '1:x'));
  t.deepEqual(nonceKey('s', 'n'), nonceKey('s', 'n'), 'the same in every process');
});

test.serial('scope and nonce cannot be confused through the separator', async (t) => {
  const store = redisNonceStore(client, { prefix: 'test2:' });
  t.true(await store.claim('a:b', 'c', 60_000));
  t.true(await store.claim('a', 'b:c', 60_000));
});

test.serial('a nonce can be used again after its TTL', async (t) => {
  const store = redisNonceStore(client, { prefix: 'test3:' });
  t.true(await store.claim('s', 'n', 50));
  await sleep(120);
  t.true(await store.claim('s', 'n', 50));
});

test.serial('of many concurrent claims of one nonce exactly one wins', async (t) => {
  const store = redisNonceStore(client, { prefix: 'test4:' });
  const results = await Promise.all(Array.from({ length: 50 }, () => store.claim('s', 'same', 60_000)));
  t.is(results.filter(Boolean).length, 1);
});

test.serial('a revoked id stays revoked until its expiry', async (t) => {
  const store = redisRevocationStore(client, { prefix: 'test5:' });
  t.false(await store.isRevoked('jti-1'));
  await store.revoke('jti-1', Date.now() + 200);
  t.true(await store.isRevoked('jti-1'));
  await sleep(300);
  t.false(await store.isRevoked('jti-1'));
  await store.revoke('jti-2', Date.now() - 1000);
  t.false(await store.isRevoked('jti-2'), 'an already expired token needs no entry');
});

test.serial('a closed client, a stopped server and a slow answer all fail closed, and service resumes', async (t) => {
  const nonces = redisNonceStore(client, { prefix: 'test6:', timeoutMs: 200 });
  const revocations = redisRevocationStore(client, { prefix: 'test6r:', timeoutMs: 200 });
  await redis.stop();
  await sleep(100);
  await t.throwsAsync(Promise.resolve(nonces.claim('s', 'while-down', 1000)), { code: 'store_unavailable' } as never);
  await t.throwsAsync(Promise.resolve(revocations.isRevoked('x')), { code: 'store_unavailable' } as never);
  await redis.start();
  for (let i = 0; i < 100 && !client.isReady; i++) await sleep(50);
  t.true(await nonces.claim('s', 'after-restart', 1000));

  const slow = { isReady: true, sendCommand: () => new Promise<unknown>(() => {}) };
  await t.throwsAsync(Promise.resolve(redisNonceStore(slow, { timeoutMs: 30 }).claim('s', 'n', 1000)), { code: 'store_unavailable' } as never);

  const closed = createClient({ url: redis.url });
  await t.throwsAsync(Promise.resolve(redisNonceStore(closed).claim('s', 'n', 1000)), { code: 'store_unavailable' } as never);
});

test.serial('a Redis out of memory (noeviction) refuses new claims with store_unavailable and keeps the live ones', async (t) => {
  const store = redisNonceStore(client, { prefix: 'oom:' });
  t.true(await store.claim('s', 'before', 60_000));
  await client.sendCommand(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
  await client.sendCommand(['CONFIG', 'SET', 'maxmemory', '1']);
  try {
    await t.throwsAsync(Promise.resolve(store.claim('s', 'during', 60_000)), { code: 'store_unavailable' } as never);
  } finally {
    await client.sendCommand(['CONFIG', 'SET', 'maxmemory', '0']);
  }
  t.false(await store.claim('s', 'before', 60_000), 'the live nonce was not evicted');
  t.true(await store.claim('s', 'during', 60_000), 'refused, so never claimed');
});

test('misuse is a TypeError at construction', (t) => {
  t.throws(() => redisNonceStore({} as never), { instanceOf: TypeError });
  t.throws(() => redisRevocationStore(client, { timeoutMs: 0 }), { instanceOf: TypeError });
});
