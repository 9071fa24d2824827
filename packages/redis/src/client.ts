import { KeygateError, positiveInteger } from '@keygate/core';

/** A command argument: node-redis sends strings and Buffers as they are (keys may be binary). */
export type RedisArgument = string | Buffer;

/** The slice of a node-redis client (`createClient()`) keygate uses. */
export interface RedisSingleClient {
  /** False while the client is closed or reconnecting: commands are then refused at once (fail closed). */
  readonly isReady: boolean;
  /** Sends one raw command (`['SET', key, '1', 'NX', …]`). */
  sendCommand(args: RedisArgument[]): Promise<unknown>;
}

/** The slice of a node-redis cluster (`createCluster()`) keygate uses: commands are routed by their key. */
export interface RedisClusterClient {
  /** False while the cluster client is closed or not connected: commands are then refused at once (fail closed). */
  readonly isReady: boolean;
  /** The cluster's master nodes (tells a cluster client from a single one). */
  readonly masters: readonly unknown[];
  /** Sends one raw command to the node that owns `firstKey`. */
  sendCommand(firstKey: RedisArgument | undefined, isReadonly: boolean | undefined, args: RedisArgument[]): Promise<unknown>;
}

/**
 * A connected node-redis client (`createClient()`) or cluster client (`createCluster()`), `redis` 5 or 6, owned by the
 * application. Commands go through `sendCommand`, so wrappers with the same members fit too.
 */
export type RedisCommandClient = RedisSingleClient | RedisClusterClient;

/** Options of `redisNonceStore` and `redisRevocationStore`. */
export interface RedisStoreOptions {
  /** Prepended to every key (default `kg` for nonces, `keygate:revoked:` for revocations). */
  readonly prefix?: string;
  /** How long one command may take before the request fails closed with 503 (default 250 ms). */
  readonly timeoutMs?: number;
}

/** Runs one command about one key, on whichever node holds that key. */
export type RedisCommand = (key: RedisArgument, args: RedisArgument[]) => Promise<unknown>;

function isCluster(client: RedisCommandClient): client is RedisClusterClient {
  return Array.isArray((client as Partial<RedisClusterClient>).masters);
}

/**
 * Runs commands fail-closed: a client that is not ready (closed, or reconnecting after Redis went away) refuses at
 * once instead of queueing, and a command slower than `timeoutMs` is refused too. A cluster client routes each command
 * to the master that holds its key; a master that is down fails the commands for its keys (create the cluster with
 * `defaults: { disableOfflineQueue: true }` so they fail at once rather than after `timeoutMs`).
 */
export function redisCommand(client: RedisCommandClient, options: RedisStoreOptions, what: string): RedisCommand {
  if (typeof client?.sendCommand !== 'function' || !('isReady' in client)) {
    throw new TypeError(`${what} needs a node-redis client (createClient() or createCluster() from 'redis', connected by the application)`);
  }
  const timeoutMs = positiveInteger('timeoutMs', options.timeoutMs, 250);
  const send: RedisCommand = isCluster(client)
    ? (key, args) => client.sendCommand(key, false, args)
    : (_key, args) => client.sendCommand(args);
  return async (key, args) => {
    if (!client.isReady) throw new KeygateError('store_unavailable', `${what}: Redis is not connected`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new KeygateError('store_unavailable', `${what}: Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([send(key, args), timeout]);
    } catch (error) {
      if (error instanceof KeygateError) throw error;
      throw new KeygateError('store_unavailable', `${what}: Redis command failed`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  };
}

export function prefixOption(prefix: string | undefined, fallback: string): string {
  const value = prefix ?? fallback;
  if (typeof value !== 'string') throw new TypeError('prefix must be a string');
  return value;
}
