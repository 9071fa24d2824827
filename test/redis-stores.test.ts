// @keygate/redis against a real redis-server started for this file.
import test from 'ava';
import fc from 'fast-check';
import { createClient } from 'redis';
import { nonceFingerprint, nonceLocation, redisNonceStore, redisRevocationStore, sliceMs } from '@keygate/redis';
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

test.serial('a nonce claims once per scope; its hash expires when the slice its retention ends in ends', async (t) => {
  const store = redisNonceStore(client, { prefix: 'test1:' });
  const before = Date.now();
  t.true(await store.claim('inqud:TKN-1', 'salt', 60_000));
  t.false(await store.claim('inqud:TKN-1', 'salt', 60_000));
  t.true(await store.claim('inqud:TKN-2', 'salt', 60_000), 'scopes are separate');
  const { key, field } = nonceLocation('inqud:TKN-1', 'salt', 60_000, before, { prefix: 'test1:' });
  t.is(Number(await client.sendCommand(['HEXISTS', key, field])), 1);
  const ttl = Number(await client.sendCommand(['PTTL', key]));
  const slice = sliceMs(60_000);
  t.true(ttl > 59_000 - (Date.now() - before) && ttl <= 60_000 + slice, `kept its retention and at most a slice more (${ttl} ms, slice ${slice} ms)`);
});

test.serial('nothing stored holds the scope or the nonce: hash keys name a bucket and a slice, fields are 12-byte fingerprints', async (t) => {
  const store = redisNonceStore(client, { prefix: 'compact:' });
  const salt = 'a'.repeat(64);
  const scope = 'inqud:TKN-6c1296b8-6929-443b-ac06-f732e0e27be1';
  t.true(await store.claim(scope, salt, 60_000));
  const keys = (await client.sendCommand(['KEYS', 'compact:*'])) as string[];
  t.is(keys.length, 1);
  t.regex(keys[0]!, /^compact:\{[0-9a-z]+\}\d+:[0-9a-z]+$/);
  t.is(Number(await client.sendCommand(['HLEN', keys[0]!])), 1);
  t.is(Number(await client.sendCommand(['HEXISTS', keys[0]!, nonceFingerprint(scope, salt)])), 1, 'its one field is the fingerprint');
  t.is(nonceFingerprint(scope, salt).byteLength, 12);
  t.false(keys.some((k) => k.includes(salt) || k.includes('TKN-')), 'no key holds the salt or the token id');
});

test('fingerprints keep scope and nonce apart, whatever characters they hold', (t) => {
  t.notDeepEqual(nonceFingerprint('ab', 'c'), nonceFingerprint('a', 'bc'));
  t.notDeepEqual(nonceFingerprint('s', 'caf\u00e9'), nonceFingerprint('s', 'cafe\u0301'));
  t.notDeepEqual(nonceFingerprint('1:', 'x'), nonceFingerprint('', '1:x'));
  t.deepEqual(nonceFingerprint('s', 'n'), nonceFingerprint('s', 'n'), 'the same in every process');
});

test.serial('a nonce claimed under a retention is refused under any retention of its family, until it expires', async (t) => {
  const store = redisNonceStore(client, { prefix: 'family:' });
  t.is(sliceMs(40_000), sliceMs(60_000), 'retentions from 4 to 8 slices: one family');
  t.true(await store.claim('s', 'n', 60_000));
  t.false(await store.claim('s', 'n', 40_000));
  t.true(await store.claim('s', 'm', 40_000));
  t.false(await store.claim('s', 'm', 60_000));
});

type Step =
  | { readonly kind: 'claim'; readonly scope: number; readonly nonce: number; readonly ttl: number }
  | { readonly kind: 'clock'; readonly ms: number };

/** Retentions of one family (sliceMs 8192 ms for each): the store's guarantee holds across them. */
const FAMILY_TTL = fc.integer({ min: 32_768, max: 65_535 });
const steps: fc.Arbitrary<Step[]> = fc.array(
  fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('claim' as const), scope: fc.nat(1), nonce: fc.nat(12), ttl: FAMILY_TTL }) },
    // Forward over slices and retentions, and sometimes back (a clock stepped by NTP).
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('clock' as const), ms: fc.integer({ min: -20_000, max: 40_000 }) }) },
  ),
  { maxLength: 60 },
);

test.serial('property: no nonce is accepted twice within its retention, and none is refused a slice past it, whatever the claims and clock steps', async (t) => {
  let run = 0;
  await t.notThrowsAsync(
    fc.assert(
      fc.asyncProperty(steps, async (script) => {
        let clock = 1_700_000_000_000;
        let latest = clock; // the store's time never runs backwards
        const store = redisNonceStore(client, { prefix: `prop${++run}:`, now: () => clock, buckets: 4 });
        const retained = new Map<string, number>();
        for (const step of script) {
          if (step.kind === 'clock') {
            clock += step.ms;
            latest = Math.max(latest, clock);
            continue;
          }
          const key = `${step.scope}/${step.nonce}`;
          const first = await store.claim(`scope-${step.scope}`, `nonce-${step.nonce}`, step.ttl);
          const until = retained.get(key);
          if (first) {
            if (until !== undefined && until > latest) return false; // accepted twice within its retention
            retained.set(key, latest + step.ttl);
          } else if (until === undefined || until + sliceMs(step.ttl) <= latest) {
            return false; // refused with no live claim to refuse it for
          }
        }
        return true;
      }),
      { numRuns: 80 },
    ),
  );
});

test.serial('a script the server forgot (SCRIPT FLUSH, a restart) is sent again whole', async (t) => {
  const store = redisNonceStore(client, { prefix: 'flush:' });
  t.true(await store.claim('s', 'a', 60_000));
  await client.sendCommand(['SCRIPT', 'FLUSH']);
  t.true(await store.claim('s', 'b', 60_000));
  t.false(await store.claim('s', 'a', 60_000));
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
  for (const buckets of [0, 3, 1.5, 131_072]) t.throws(() => redisNonceStore(client, { buckets }), { instanceOf: TypeError }, String(buckets));
  t.throws(() => redisRevocationStore(client, { timeoutMs: 0 }), { instanceOf: TypeError });
});
