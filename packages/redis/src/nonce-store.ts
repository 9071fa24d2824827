import type { NonceStore } from '@keygate/core';
import { prefixOption, redisCommand, type RedisCommandClient, type RedisStoreOptions } from './client.js';

/**
 * A NonceStore on Redis: each claim is one atomic `SET <prefix><scope>:<nonce> 1 NX PX <ttl>`, so of several
 * processes (or concurrent requests) exactly one wins. The scope is URI-encoded so it never contains the `:` that
 * separates it from the nonce.
 *
 * @example
 * const client = await createClient({ url: process.env.REDIS_URL }).on('error', log).connect();
 * const scheme = inqud({ secrets, nonces: redisNonceStore(client) });
 */
export function redisNonceStore(client: RedisCommandClient, options: RedisStoreOptions = {}): NonceStore {
  const prefix = prefixOption(options.prefix, 'keygate:nonce:');
  const command = redisCommand(client, options, 'redis nonce store');
  return {
    async claim(scope, nonce, ttlMs) {
      const key = `${prefix}${encodeURIComponent(scope)}:${nonce}`;
      const reply = await command(['SET', key, '1', 'NX', 'PX', String(Math.max(1, Math.ceil(ttlMs)))]);
      return reply === 'OK';
    },
  };
}
