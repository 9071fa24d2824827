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
  // Nonces by scope: a lookup hashes the scope and the nonce as they are, instead of building and hashing their
  // concatenation on every request.
  const scopes = new Map<string, Map<string, number>>();
  let size = 0;
  let earliestExpiry = Infinity;

  const sweep = (at: number): void => {
    earliestExpiry = Infinity;
    for (const [scope, expiries] of scopes) {
      for (const [nonce, expiry] of expiries) {
        if (expiry <= at) {
          expiries.delete(nonce);
          size--;
        } else if (expiry < earliestExpiry) earliestExpiry = expiry;
      }
      if (expiries.size === 0) scopes.delete(scope);
    }
  };

  return {
    claim(scope, nonce, ttlMs) {
      const at = now();
      let expiries = scopes.get(scope);
      const expiry = expiries?.get(nonce);
      if (expiry !== undefined && expiry > at) return false;
      if (expiry === undefined && size >= capacity) {
        if (earliestExpiry <= at) sweep(at);
        if (size >= capacity) {
          throw new KeygateError('store_unavailable', `nonce store is full (${capacity} live nonces); refusing rather than forgetting one`);
        }
        expiries = scopes.get(scope); // the sweep may have dropped this scope's emptied map
      }
      if (expiries === undefined) scopes.set(scope, (expiries = new Map()));
      if (expiry === undefined) size++; // an expired entry of the same nonce is overwritten in place
      const until = at + ttlMs;
      expiries.set(nonce, until);
      if (until < earliestExpiry) earliestExpiry = until;
      return true;
    },
  };
}
