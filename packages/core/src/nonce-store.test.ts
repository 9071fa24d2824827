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

test('capacity counts live nonces across all scopes; expired ones make room or are reused in place', (t) => {
  let now = 0;
  const store = memoryNonceStore({ capacity: 2, now: () => now });
  t.true(store.claim('a', '1', 10));
  t.true(store.claim('b', '1', 1000));
  t.throws(() => store.claim('c', '1', 10), { code: 'store_unavailable' } as never, 'full across scopes');
  now = 10;
  t.true(store.claim('a', '1', 10), 'an expired nonce is claimed again in its own slot');
  t.throws(() => store.claim('c', '1', 10), { code: 'store_unavailable' } as never, 'still two live nonces');
  now = 20;
  t.true(store.claim('c', '1', 10), 'the expired one is swept to make room');
  t.false(store.claim('b', '1', 10), 'the live one in another scope is kept');
  t.throws(() => store.claim('a', '2', 10), { code: 'store_unavailable' } as never);
  now = 30;
  t.true(store.claim('a', '2', 10), 'a scope emptied by the sweep starts afresh');
  t.false(store.claim('a', '2', 10));
});
