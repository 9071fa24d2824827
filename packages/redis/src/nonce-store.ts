import { createHash } from 'node:crypto';
import type { NonceStore } from '@keygate/core';
import { prefixOption, redisCommand, type RedisCommandClient, type RedisStoreOptions } from './client.js';

/** Bytes of SHA-256 kept in a nonce key: 96 bits. */
const NONCE_KEY_DIGEST_BYTES = 12;

/**
 * The Redis key of (scope, nonce): `prefix` followed by the first 12 bytes of SHA-256 over the scope's length, the
 * scope and the nonce (UTF-16LE, so every JavaScript string has one encoding). Every process computes the same key,
 * so a nonce claimed by one is refused by all. Exported for operators (find a salt's key) and tests.
 *
 * @example
 * await client.pTTL(nonceKey('inqud:TKN-…', salt)); // how long this salt stays refused
 */
export function nonceKey(scope: string, nonce: string, prefix = DEFAULT_NONCE_PREFIX): Buffer {
  const digest = createHash('sha256').update(`${scope.length}:`).update(scope, 'utf16le').update(nonce, 'utf16le').digest();
  return Buffer.concat([Buffer.from(prefix), digest.subarray(0, NONCE_KEY_DIGEST_BYTES)]);
}

/**
 * The default nonce key prefix. Two bytes, so that with the 12-byte digest a key is 14 bytes: the longest Redis (with
 * jemalloc) keeps in a 16-byte allocation. A longer prefix costs 16 bytes more per nonce.
 */
export const DEFAULT_NONCE_PREFIX = 'kg';

/**
 * A NonceStore on Redis: each claim is one atomic `SET <key> 1 NX PX <ttl>`, so of several processes (or concurrent
 * requests) exactly one wins. The key is a 96-bit fingerprint of scope and nonce (see `nonceKey`), not the nonce
 * itself: about 97 bytes of Redis memory per live nonce, against about 240 for a key holding the scope and a 64-character
 * salt. Works with a single client (`createClient`) and with a Redis Cluster (`createCluster`), where keys spread over
 * the masters by their hash slot.
 *
 * @example
 * const client = await createClient({ url: process.env.REDIS_URL }).on('error', log).connect();
 * const scheme = inqud({ secrets, nonces: redisNonceStore(client) });
 */
export function redisNonceStore(client: RedisCommandClient, options: RedisStoreOptions = {}): NonceStore {
  const prefix = prefixOption(options.prefix, DEFAULT_NONCE_PREFIX);
  const command = redisCommand(client, options, 'redis nonce store');
  return {
    async claim(scope, nonce, ttlMs) {
      const key = nonceKey(scope, nonce, prefix);
      const reply = await command(key, ['SET', key, '1', 'NX', 'PX', String(Math.max(1, Math.ceil(ttlMs)))]);
      return reply === 'OK';
    },
  };
}
