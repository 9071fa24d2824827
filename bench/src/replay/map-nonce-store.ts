import { KeygateError, type NonceStore } from '@keygate/core';

/**
 * The baseline, not keygate: the in-memory nonce store keygate 0.1 shipped (nonces by scope in V8 Maps of strings,
 * a sweep of every entry when full), kept here only so `pnpm bench` measures the new store against it in the same run.
 */
export function mapNonceStore(capacity: number): NonceStore & { claim(scope: string, nonce: string, ttlMs: number): boolean } {
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
      const at = Date.now();
      let expiries = scopes.get(scope);
      const expiry = expiries?.get(nonce);
      if (expiry !== undefined && expiry > at) return false;
      if (expiry === undefined && size >= capacity) {
        if (earliestExpiry <= at) sweep(at);
        if (size >= capacity) throw new KeygateError('store_unavailable', 'nonce store is full');
        expiries = scopes.get(scope);
      }
      if (expiries === undefined) scopes.set(scope, (expiries = new Map()));
      if (expiry === undefined) size++;
      const until = at + ttlMs;
      expiries.set(nonce, until);
      if (until < earliestExpiry) earliestExpiry = until;
      return true;
    },
  };
}
