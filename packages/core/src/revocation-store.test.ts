import test from 'ava';
import { memoryRevocationStore } from './revocation-store.js';

test('a revoked id stays revoked until its expiry', (t) => {
  let now = 0;
  const store = memoryRevocationStore({ now: () => now });
  t.false(store.isRevoked('jti'));
  store.revoke('jti', 100);
  t.true(store.isRevoked('jti'));
  now = 100;
  t.false(store.isRevoked('jti'));
});

test('a full revocation store refuses rather than forgetting', (t) => {
  const store = memoryRevocationStore({ capacity: 1, now: () => 0 });
  store.revoke('a', 100);
  t.throws(() => store.revoke('b', 100), { code: 'store_unavailable' } as never);
  t.true(store.isRevoked('a'));
});
