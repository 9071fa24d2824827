import { memoryNonceStore, memoryRevocationStore, type NonceStore, type RevocationStore } from '@keygate/core';
import type { GatewayConfig } from './config.js';

export interface GatewayStores {
  readonly nonces: NonceStore;
  readonly revocations: RevocationStore;
  /** Where replay state lives, for the start-up line. */
  readonly kind: 'memory' | 'redis';
  close(): Promise<void>;
}

/**
 * Replay and revocation state: in Redis when REDIS_URL is set (shared by every process that uses it), in this
 * process's memory otherwise. While Redis is unreachable, requests that need it are refused with 503 and the
 * client reconnects in the background.
 */
export async function createStores(config: GatewayConfig, log: (line: string) => void): Promise<GatewayStores> {
  if (config.redisUrl === undefined) {
    return { nonces: memoryNonceStore(), revocations: memoryRevocationStore(), kind: 'memory', close: async () => {} };
  }
  // Loaded only when used: the Redis client adds about 20 MiB to a process that keeps its state in memory.
  const [{ redisNonceStore, redisRevocationStore }, { createClient }] = await Promise.all([import('@keygate/redis'), import('redis')]);
  const client = createClient({ url: config.redisUrl, socket: { reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 1000) } });
  let healthy = true;
  client.on('error', (error: Error) => {
    if (healthy) log(`redis unavailable, refusing requests that need it (${error.message || error.name})`);
    healthy = false;
  });
  client.on('ready', () => {
    if (!healthy) log('redis connected again');
    healthy = true;
  });
  await client.connect().catch((error: Error) => log(`redis not reachable at start-up: ${error.message}`));
  return {
    nonces: redisNonceStore(client),
    revocations: redisRevocationStore(client),
    kind: 'redis',
    close: async () => {
      client.destroy();
    },
  };
}
