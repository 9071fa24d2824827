export { redisNonceStore } from './nonce-store.js';
export { redisRevocationStore } from './revocation-store.js';
export type { RedisCommandClient, RedisStoreOptions } from './client.js';
