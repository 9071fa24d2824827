import {
  memoryNonceStore, memoryRevocationStore, type MemoryNonceStore, type NonceStore, type NonceStoreUsage, type RevocationStore,
} from '@keygate/core';
import type { GatewayConfig, RedisTarget } from './config.js';

export interface GatewayStores {
  readonly nonces: NonceStore;
  readonly revocations: RevocationStore;
  /** Where replay state lives, for the start-up line. */
  readonly kind: 'memory' | 'redis' | 'redis cluster';
  /** False while a configured Redis (or any master of a Redis Cluster) is unreachable; always true in memory. */
  ready(): boolean;
  /** The memory replay store's fill level; undefined when replay state lives in Redis. */
  replayUsage(): NonceStoreUsage | undefined;
  close(): Promise<void>;
}

/**
 * Replay and revocation state: in Redis when REDIS_URL or REDIS_CLUSTER_URLS is set (shared by every process that
 * uses it), in this process's memory otherwise. While Redis is unreachable, requests that need it are refused with 503
 * and the client reconnects in the background.
 */
export async function createStores(config: GatewayConfig, log: (line: string) => void): Promise<GatewayStores> {
  if (config.redis === undefined) return memoryStores(config);
  // Loaded only when used: the Redis client adds about 20 MiB to a process that keeps its state in memory.
  const [{ redisNonceStore, redisRevocationStore }, redis] = await Promise.all([import('@keygate/redis'), connectRedis(config.redis, log)]);
  return {
    nonces: redisNonceStore(redis.client, config.redisNonceBuckets === undefined ? {} : { buckets: config.redisNonceBuckets }),
    revocations: redisRevocationStore(redis.client),
    kind: config.redis.kind === 'cluster' ? 'redis cluster' : 'redis',
    ready: redis.ready,
    replayUsage: () => undefined,
    close: async () => redis.client.destroy(),
  };
}

function memoryStores(config: GatewayConfig): GatewayStores {
  let nonces: MemoryNonceStore;
  try {
    nonces = memoryNonceStore(config.replayMaxBytes === undefined ? {} : { maxBytes: config.replayMaxBytes });
  } catch (error) {
    throw new Error(`KEYGATE_REPLAY_MAX_BYTES: ${(error as Error).message}`);
  }
  return {
    nonces,
    revocations: memoryRevocationStore(),
    kind: 'memory',
    ready: () => true,
    replayUsage: () => nonces.usage(),
    close: async () => {},
  };
}

/** Backs off to one attempt a second while Redis is away. */
const reconnectStrategy = (retries: number): number => Math.min(50 * 2 ** retries, 1000);

async function connectRedis(target: RedisTarget, log: (line: string) => void) {
  const { createClient, createCluster } = await import('redis');
  let healthy = true;
  const down = (error: Error): void => {
    if (healthy) log(`redis unavailable, refusing requests that need it (${error.message || error.name})`);
    healthy = false;
  };
  const up = (): void => {
    if (!healthy) log('redis connected again');
    healthy = true;
  };
  if (target.kind === 'single') {
    const client = createClient({ url: target.url, socket: { reconnectStrategy } });
    client.on('error', down).on('ready', up);
    await client.connect().catch((error: Error) => log(`redis not reachable at start-up: ${error.message}`));
    return { client, ready: () => client.isReady };
  }
  // No offline queue: while a master is away, commands for its keys fail at once (503) instead of waiting in a queue.
  const client = createCluster({
    rootNodes: target.urls.map((url) => ({ url })),
    defaults: { socket: { reconnectStrategy }, disableOfflineQueue: true },
  });
  client.on('error', down).on('node-error', down).on('node-ready', up);
  // A cluster whose nodes are all away at start-up gets no client to reconnect: keep asking, once a second.
  const connect = (): Promise<unknown> =>
    client.connect().catch((error: Error) => {
      down(error);
      return new Promise((resolve) => setTimeout(resolve, 1000).unref()).then(() => (client.isOpen ? undefined : connect()));
    });
  await Promise.race([connect(), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
  return { client, ready: () => client.isReady && client.masters.every((master) => master.client?.isReady === true) };
}
