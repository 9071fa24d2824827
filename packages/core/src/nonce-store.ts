import { KeygateError } from './errors.js';
import { clockOption, positiveInteger, type Clock } from './options.js';
import type { MaybePromise } from './secret-store.js';

/**
 * Remembers nonces (salts, signatures) so each verifies once. `claim` is atomic: true for the first use of
 * `nonce` in `scope` within `ttlMs`, false for a replay.
 */
export interface NonceStore {
  claim(scope: string, nonce: string, ttlMs: number): MaybePromise<boolean>;
}

export interface MemoryNonceStoreOptions {
  /** Live nonces held at most; when full, new claims fail closed with `store_unavailable` (default 100 000). */
  readonly capacity?: number;
  readonly now?: Clock;
}

/**
 * A bounded in-process nonce store. It never forgets a live nonce to make room: forgetting one would let its replay
 * through, so a full store refuses new claims until entries expire. For several processes use `@keygate/redis`.
 *
 * @example
 * const nonces = memoryNonceStore({ capacity: 500_000 });
 */
export function memoryNonceStore(options: MemoryNonceStoreOptions = {}): NonceStore {
  const capacity = positiveInteger('capacity', options.capacity, 100_000);
  const now = clockOption(options.now);
  const expiries = new Map<string, number>();
  let earliestExpiry = Infinity;

  const sweep = (at: number): void => {
    earliestExpiry = Infinity;
    for (const [key, expiry] of expiries) {
      if (expiry <= at) expiries.delete(key);
      else if (expiry < earliestExpiry) earliestExpiry = expiry;
    }
  };

  return {
    claim(scope, nonce, ttlMs) {
      const at = now();
      const key = `${scope}\u0000${nonce}`;
      const expiry = expiries.get(key);
      if (expiry !== undefined && expiry > at) return false;
      if (expiry === undefined && expiries.size >= capacity) {
        if (earliestExpiry <= at) sweep(at);
        if (expiries.size >= capacity) {
          throw new KeygateError('store_unavailable', `nonce store is full (${capacity} live nonces); refusing rather than forgetting one`);
        }
      }
      const until = at + ttlMs;
      expiries.set(key, until);
      if (until < earliestExpiry) earliestExpiry = until;
      return true;
    },
  };
}
