import { KeygateError, positiveInteger } from '@keygate/core';

/**
 * The slice of a node-redis client keygate uses. Commands go through `sendCommand`, so redis 5 and 6 clients (and
 * cluster-unaware wrappers with the same two members) all fit.
 */
export interface RedisCommandClient {
  readonly isReady: boolean;
  sendCommand(args: string[]): Promise<unknown>;
}

export interface RedisStoreOptions {
  /** Prepended to every key (default `keygate:nonce:` / `keygate:revoked:`). */
  readonly prefix?: string;
  /** How long one command may take before the request fails closed with 503 (default 250 ms). */
  readonly timeoutMs?: number;
}

export interface RedisCommand {
  (args: string[]): Promise<unknown>;
}

/**
 * Runs commands fail-closed: a client that is not ready (closed, or reconnecting after Redis went away) refuses at
 * once instead of queueing, and a command slower than `timeoutMs` is refused too.
 */
export function redisCommand(client: RedisCommandClient, options: RedisStoreOptions, what: string): RedisCommand {
  if (typeof client?.sendCommand !== 'function' || !('isReady' in client)) {
    throw new TypeError(`${what} needs a node-redis client (createClient() from 'redis', connected by the application)`);
  }
  const timeoutMs = positiveInteger('timeoutMs', options.timeoutMs, 250);
  return async (args) => {
    if (!client.isReady) throw new KeygateError('store_unavailable', `${what}: Redis is not connected`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new KeygateError('store_unavailable', `${what}: Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([client.sendCommand(args), timeout]);
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
