import { KeygateError } from './errors.js';
import { clockOption, positiveInteger, type Clock } from './options.js';
import type { MaybePromise } from './secret-store.js';

/** Holds revoked session ids (JWT `jti`) until the session would have expired anyway. */
export interface RevocationStore {
  /** Revokes session `id` until `expiresAtMs` (epoch ms), when the session would have expired anyway. */
  revoke(id: string, expiresAtMs: number): MaybePromise<void>;
  /** True while `id` is revoked. */
  isRevoked(id: string): MaybePromise<boolean>;
}

/** Options of `memoryRevocationStore`. */
export interface MemoryRevocationStoreOptions {
  /** Revocations held at most; when full, further revocations fail closed with `store_unavailable` (default 100 000). */
  readonly capacity?: number;
  /** Clock for expiries, epoch milliseconds (default `Date.now`). */
  readonly now?: Clock;
}

/**
 * A bounded in-process revocation list. Like the nonce store it never drops a live entry to make room.
 *
 * @example
 * const revocations = memoryRevocationStore();
 */
export function memoryRevocationStore(options: MemoryRevocationStoreOptions = {}): RevocationStore {
  const capacity = positiveInteger('capacity', options.capacity, 100_000);
  const now = clockOption(options.now);
  const revoked = new Map<string, number>();

  const sweep = (at: number): void => {
    for (const [id, expiry] of revoked) if (expiry <= at) revoked.delete(id);
  };

  return {
    revoke(id, expiresAtMs) {
      const at = now();
      if (expiresAtMs <= at) return;
      if (!revoked.has(id) && revoked.size >= capacity) sweep(at);
      if (!revoked.has(id) && revoked.size >= capacity) {
        throw new KeygateError('store_unavailable', `revocation store is full (${capacity} live entries)`);
      }
      revoked.set(id, Math.max(expiresAtMs, revoked.get(id) ?? 0));
    },
    isRevoked(id) {
      const expiry = revoked.get(id);
      if (expiry === undefined) return false;
      if (expiry > now()) return true;
      revoked.delete(id);
      return false;
    },
  };
}
