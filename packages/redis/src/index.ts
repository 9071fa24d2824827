export { DEFAULT_NONCE_PREFIX, nonceFingerprint, nonceLocation, redisNonceStore, sliceMs, type NonceLocation, type RedisNonceStoreOptions } from './nonce-store.js';
export { redisRevocationStore } from './revocation-store.js';
export type { RedisArgument, RedisClusterClient, RedisCommandClient, RedisSingleClient, RedisStoreOptions } from './client.js';
