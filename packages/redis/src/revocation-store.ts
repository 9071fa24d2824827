import type { RevocationStore } from '@keygate/core';
import { prefixOption, redisCommand, type RedisCommandClient, type RedisStoreOptions } from './client.js';

/**
 * A RevocationStore on Redis: a revoked id is a key that expires when the token would have (`SET … PXAT <exp>`),
 * so the list never outgrows the live tokens. Single clients and Redis Cluster clients alike.
 *
 * @example
 * const revocations = redisRevocationStore(client, { prefix: 'myapp:revoked:' });
 */
export function redisRevocationStore(client: RedisCommandClient, options: RedisStoreOptions = {}): RevocationStore {
  const prefix = prefixOption(options.prefix, 'keygate:revoked:');
  const command = redisCommand(client, options, 'redis revocation store');
  return {
    async revoke(id, expiresAtMs) {
      const key = `${prefix}${id}`;
      // An expiry already past makes Redis drop the key at once, which is what a revocation of a dead token should do.
      await command(key, ['SET', key, '1', 'PXAT', String(Math.ceil(expiresAtMs))]);
    },
    async isRevoked(id) {
      const key = `${prefix}${id}`;
      return Number(await command(key, ['EXISTS', key])) === 1;
    },
  };
}
