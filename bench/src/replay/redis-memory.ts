import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { redisNonceStore } from '@keygate/redis';
import { freePort, startRedis, stopProcess } from '../redis.js';

export interface RedisMemoryRow {
  readonly name: string;
  readonly keyBytes: number;
  readonly bytesPerNonce: number;
}

const SCOPE = 'inqud:TKN-6c1296b8-6929-443b-ac06-f732e0e27be1';
const IN_FLIGHT = 128;

type Client = ReturnType<typeof createClient>;

/**
 * Redis memory per live nonce (INFO memory's used_memory, before and after `count` claims, over the count) for keygate's
 * Redis nonce store, for the key format of keygate 0.1 (prefix, URI-encoded scope and the salt itself), and for the
 * floor: SET NX PX of a bare 12-byte random key, the smallest key that still holds 96 bits. One fresh redis-server.
 */
export async function runRedisMemory(count: number, log: (line: string) => void): Promise<RedisMemoryRow[]> {
  const port = await freePort();
  const redis = await startRedis(port);
  const client: Client = createClient({ url: `redis://127.0.0.1:${port}` });
  client.on('error', () => {});
  await client.connect();
  try {
    const store = redisNonceStore(client, { timeoutMs: 10_000 }); // memory, not latency, is measured here
    const variants: { name: string; claim: (salt: string) => unknown; keyBytes: number }[] = [
      { name: 'keygate redisNonceStore', keyBytes: 14, claim: (salt) => store.claim(SCOPE, salt, 86_400_000) },
      {
        name: 'keygate 0.1 keys (scope and salt in the key)',
        keyBytes: Buffer.byteLength(`keygate:nonce:${encodeURIComponent(SCOPE)}:${'0'.repeat(64)}`),
        claim: (salt) => client.sendCommand(['SET', `keygate:nonce:${encodeURIComponent(SCOPE)}:${salt}`, '1', 'NX', 'PX', '86400000']),
      },
      { name: 'floor: bare 12-byte random key', keyBytes: 12, claim: () => client.sendCommand(['SET', randomBytes(12), '1', 'NX', 'PX', '86400000']) },
    ];
    const rows: RedisMemoryRow[] = [];
    for (const variant of variants) {
      await client.sendCommand(['FLUSHALL', 'SYNC']);
      const before = await usedMemory(client);
      let started = 0;
      const worker = async (): Promise<void> => {
        while (started++ < count) await variant.claim(randomBytes(32).toString('hex'));
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      const after = await usedMemory(client);
      const keys = Number(await client.sendCommand(['DBSIZE']));
      rows.push({ name: variant.name, keyBytes: variant.keyBytes, bytesPerNonce: (after - before) / keys });
      log(`redis memory ${variant.name}: ${((after - before) / keys).toFixed(1)} bytes per live nonce over ${keys} keys`);
    }
    return rows;
  } finally {
    client.destroy();
    await stopProcess(redis);
  }
}

async function usedMemory(client: Client): Promise<number> {
  const info = String(await client.sendCommand(['INFO', 'memory']));
  return Number(/used_memory:(\d+)/.exec(info)?.[1]);
}
