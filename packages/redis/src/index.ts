export { DEFAULT_NONCE_PREFIX, nonceKey, redisNonceStore } from './nonce-store.js';
export { redisRevocationStore } from './revocation-store.js';
export type { RedisArgument, RedisClusterClient, RedisCommandClient, RedisSingleClient, RedisStoreOptions } from './client.js';
