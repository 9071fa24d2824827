import test from 'ava';
import { isKeygateError } from './errors.js';
import { memoryNonceStore } from './nonce-store.js';

test('a nonce claims once per scope until it expires', (t) => {
  let now = 1_000;
  const store = memoryNonceStore({ now: () => now });
  t.true(store.claim('a', 'n1', 100));
  t.false(store.claim('a', 'n1', 100));
  t.true(store.claim('b', 'n1', 100), 'scopes are separate');
  now += 100;
  t.true(store.claim('a', 'n1', 100), 'expired nonces may be used again');
});

test('scope and nonce cannot be confused by concatenation', (t) => {
  const store = memoryNonceStore();
  t.true(store.claim('ab', 'c', 1000));
  t.true(store.claim('a', 'bc', 1000));
});

test('a full store refuses new claims instead of forgetting live nonces', (t) => {
  let now = 0;
  const store = memoryNonceStore({ capacity: 2, now: () => now });
  t.true(store.claim('s', '1', 1000));
  t.true(store.claim('s', '2', 1000));
  const error = t.throws(() => store.claim('s', '3', 1000));
  t.true(isKeygateError(error) && error.code === 'store_unavailable' && error.status === 503);
  t.false(store.claim('s', '1', 1000), 'the live nonce is still remembered');
  now = 1000;
  t.true(store.claim('s', '3', 1000), 'room again once entries expire');
});

test('options are validated at construction', (t) => {
  t.throws(() => memoryNonceStore({ capacity: 0 }), { instanceOf: TypeError });
  t.throws(() => memoryNonceStore({ capacity: 1.5 }), { instanceOf: TypeError });
});
