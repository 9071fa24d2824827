import { memoryNonceStore, memoryRevocationStore, type NonceStore, type RevocationStore } from '@keygate/core';
import type { GatewayConfig } from './config.js';

export interface GatewayStores {
  readonly nonces: NonceStore;
  readonly revocations: RevocationStore;
  /** Where replay state lives, for the start-up line. */
  readonly kind: 'memory' | 'redis';
  close(): Promise<void>;
}

/** In-memory stores: replay and revocation state of this one process. */
export async function createStores(_config: GatewayConfig): Promise<GatewayStores> {
  return { nonces: memoryNonceStore(), revocations: memoryRevocationStore(), kind: 'memory', close: async () => {} };
}
