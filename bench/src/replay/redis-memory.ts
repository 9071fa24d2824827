import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { redisNonceStore } from '@keygate/redis';
import { freePort, startRedis, stopProcess } from '../redis.js';

export interface RedisMemoryRow {
  readonly name: string;
  readonly keyBytes: number;
  readonly bytesPerNonce: number;
  /** The Redis server's CPU (user + system, `INFO cpu`) per claim, µs. */
  readonly redisCpuUsPerClaim: number;
  /** Claims per second from this one client, `IN_FLIGHT` at a time. */
  readonly claimsPerSecond: number;
}

const SCOPE = 'inqud:TKN-6c1296b8-6929-443b-ac06-f732e0e27be1';
const IN_FLIGHT = 128;

type Client = ReturnType<typeof createClient>;

/**
 * Redis memory per live nonce (INFO memory's used_memory, before and after `count` claims, over the count) for keygate's
 * Redis nonce store (with Redis's default listpack limit, and with a larger one), for the key format of keygate 0.1
 * (prefix, URI-encoded scope and the salt itself), and for the floor of any one-key-per-nonce design: SET NX PX of a
 * bare 12-byte random key, the smallest key that still holds 96 bits. One fresh redis-server. Each row also gives what
 * its claims cost Redis (`INFO cpu`) and how many this one client made a second, `IN_FLIGHT` at a time.
 */
export async function runRedisMemory(count: number, log: (line: string) => void): Promise<RedisMemoryRow[]> {
  const port = await freePort();
  const redis = await startRedis(port);
  const client: Client = createClient({ url: `redis://127.0.0.1:${port}` });
  client.on('error', () => {});
  await client.connect();
  try {
    const store = redisNonceStore(client, { timeoutMs: 10_000 }); // memory, not latency, is measured here
    const keygateClaim = (salt: string): Promise<unknown> => Promise.resolve(store.claim(SCOPE, salt, 86_400_000));
    const variants: { name: string; claim: (salt: string) => Promise<unknown>; keyBytes: number; listpackEntries?: number }[] = [
      { name: 'keygate redisNonceStore (12-byte fields in bucket hashes)', keyBytes: 12, claim: keygateClaim },
      { name: 'the same, hash-max-listpack-entries 1024', keyBytes: 12, listpackEntries: 1024, claim: keygateClaim },
      {
        name: 'keygate 0.1 keys (scope and salt in the key)',
        keyBytes: Buffer.byteLength(`keygate:nonce:${encodeURIComponent(SCOPE)}:${'0'.repeat(64)}`),
        claim: (salt) => client.sendCommand(['SET', `keygate:nonce:${encodeURIComponent(SCOPE)}:${salt}`, '1', 'NX', 'PX', '86400000']),
      },
      { name: 'one key per nonce: bare 12-byte random key', keyBytes: 12, claim: () => client.sendCommand(['SET', randomBytes(12), '1', 'NX', 'PX', '86400000']) },
    ];
    const rows: RedisMemoryRow[] = [];
    const listpackReply = (await client.sendCommand(['CONFIG', 'GET', 'hash-max-listpack-entries'])) as unknown;
    const defaultListpack = String(Array.isArray(listpackReply) ? listpackReply[1] : Object.values(listpackReply as object)[0]);
    for (const variant of variants) {
      await client.sendCommand(['FLUSHALL', 'SYNC']);
      await client.sendCommand(['CONFIG', 'SET', 'hash-max-listpack-entries', String(variant.listpackEntries ?? defaultListpack)]);
      const before = await usedMemory(client);
      const cpuBefore = await redisCpuSeconds(client);
      const startedAt = performance.now();
      let started = 0;
      let accepted = 0;
      const worker = async (): Promise<void> => {
        while (started++ < count) if (isAccepted(await variant.claim(randomBytes(32).toString('hex')))) accepted++;
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      const seconds = (performance.now() - startedAt) / 1000;
      const cpu = (await redisCpuSeconds(client)) - cpuBefore;
      const after = await usedMemory(client);
      if (accepted !== count) throw new Error(`${variant.name}: ${count - accepted} of ${count} fresh nonces were refused`);
      rows.push({
        name: variant.name,
        keyBytes: variant.keyBytes,
        bytesPerNonce: (after - before) / accepted,
        redisCpuUsPerClaim: (cpu * 1e6) / accepted,
        claimsPerSecond: accepted / seconds,
      });
      log(`redis memory ${variant.name}: ${((after - before) / accepted).toFixed(1)} bytes per live nonce over ${accepted} claims`);
    }
    await client.sendCommand(['CONFIG', 'SET', 'hash-max-listpack-entries', defaultListpack]);
    return rows;
  } finally {
    client.destroy();
    await stopProcess(redis);
  }
}

const isAccepted = (reply: unknown): boolean => reply === true || reply === 'OK';

async function redisCpuSeconds(client: Client): Promise<number> {
  const info = String(await client.sendCommand(['INFO', 'cpu']));
  return Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1]) + Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1]);
}

async function usedMemory(client: Client): Promise<number> {
  const info = String(await client.sendCommand(['INFO', 'memory']));
  return Number(/used_memory:(\d+)/.exec(info)?.[1]);
}
