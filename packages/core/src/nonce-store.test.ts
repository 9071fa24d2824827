import test from 'ava';
import fc from 'fast-check';
import { isKeygateError } from './errors.js';
import { memoryNonceStore, type MemoryNonceStore } from './nonce-store.js';

const SECOND = 1000;

function claimUntilFull(store: MemoryNonceStore, scope = 'filler', ttlMs = 60 * SECOND): number {
  for (let i = 0; ; i++) {
    try {
      store.claim(scope, `filler-${i}`, ttlMs);
    } catch (error) {
      if (isKeygateError(error) && error.code === 'store_unavailable') return i;
      throw error;
    }
  }
}

test('a nonce claims once per scope until it expires', (t) => {
  let now = 1_000_000;
  const store = memoryNonceStore({ now: () => now, sliceMs: SECOND });
  t.true(store.claim('a', 'n1', 10 * SECOND));
  t.false(store.claim('a', 'n1', 10 * SECOND));
  t.true(store.claim('b', 'n1', 10 * SECOND), 'scopes are separate');
  now += 10 * SECOND - 1;
  t.false(store.claim('a', 'n1', 10 * SECOND), 'still within its ttl');
  now += SECOND + 1;
  t.true(store.claim('a', 'n1', 10 * SECOND), 'expired once its ttl and the slice it ends in have passed');
});

test('scope and nonce cannot be confused by concatenation or by encoding', (t) => {
  const store = memoryNonceStore();
  t.true(store.claim('ab', 'c', 1000));
  t.true(store.claim('a', 'bc', 1000));
  t.true(store.claim('s', 'caf\u00e9', 1000), 'latin-1');
  t.true(store.claim('s', 'caf\u0065\u0301', 1000), 'another spelling is another nonce');
  t.true(store.claim('s', '\u20ac', 1000), 'beyond latin-1');
  t.false(store.claim('s', '\u20ac', 1000));
  t.true(store.claim('\u20ac', '\u20ac', 1000), 'a scope beyond latin-1');
  t.false(store.claim('\u20ac', '\u20ac', 1000));
  t.true(store.claim('s', '', 1000), 'the empty nonce is a nonce');
  t.false(store.claim('s', '', 1000));
});

test('a full store refuses new claims instead of forgetting live nonces', (t) => {
  let now = 0;
  const store = memoryNonceStore({ maxBytes: 1024, sliceMs: SECOND, now: () => now });
  const held = claimUntilFull(store, 's', 10 * SECOND);
  const { capacity } = store.usage();
  t.true(held >= capacity * 0.95 && held <= capacity, `held ${held} of ${capacity}`);
  const error = t.throws(() => store.claim('s', 'one more', 10 * SECOND));
  t.true(isKeygateError(error) && error.code === 'store_unavailable' && error.status === 503);
  for (let i = 0; i < held; i++) t.false(store.claim('s', `filler-${i}`, 10 * SECOND), 'every live nonce is still remembered');
  now = 11 * SECOND;
  t.true(store.claim('s', 'one more', 10 * SECOND), 'room again once entries expire');
  t.true(store.claim('s', 'filler-0', 10 * SECOND), 'an expired nonce may be used again');
});

test('the fill warnings come once at 80 % and once at 100 %, and name no nonce', async (t) => {
  const store = memoryNonceStore({ maxBytes: 2048 });
  const warnings: string[] = [];
  const onWarning = (warning: Error & { code?: string }): void => {
    // Other tests in this file fill stores of other sizes at the same time.
    if (warning.code === 'KEYGATE_NONCE_STORE_FILL' && warning.message.includes('2048-byte')) warnings.push(warning.message);
  };
  process.on('warning', onWarning);
  try {
    claimUntilFull(store, 'scope-x');
    t.throws(() => store.claim('scope-x', 'again', 1000));
    await new Promise((resolve) => setImmediate(resolve));
    t.is(warnings.length, 2, warnings.join('\n'));
    t.regex(warnings[0]!, /80 % full/);
    t.regex(warnings[1]!, /is full/);
    for (const line of warnings) t.false(/filler|scope-x|again/.test(line), line);
  } finally {
    process.off('warning', onWarning);
  }
});

test('usage reports live nonces, capacity, bytes and fill; bytes follow the live nonces', (t) => {
  let now = 0;
  const store = memoryNonceStore({ sliceMs: SECOND, now: () => now });
  const empty = store.usage();
  t.deepEqual(empty, { nonces: 0, capacity: empty.capacity, bytes: 0, maxBytes: 256 * 1024 * 1024, fill: 0 });
  t.true(empty.capacity >= (empty.maxBytes / 16) * 0.85);
  const count = 1_000_000;
  for (let i = 0; i < count; i++) store.claim('s', String(i), 5 * SECOND);
  const used = store.usage();
  t.is(used.nonces, count);
  t.is(used.fill, count / used.capacity);
  t.true(used.bytes / used.nonces <= 24, `${used.bytes / used.nonces} bytes per nonce`);
  now = 6 * SECOND;
  t.is(store.usage().nonces, 0, 'expired nonces leave the count a whole slice at a time');
});

test('options are validated at construction', (t) => {
  t.throws(() => memoryNonceStore({ maxBytes: 0 }), { instanceOf: TypeError });
  t.throws(() => memoryNonceStore({ maxBytes: 'lots' }), { instanceOf: TypeError });
  t.throws(() => memoryNonceStore({ maxBytes: 64 }), { instanceOf: TypeError, message: /at least/ });
  t.throws(() => memoryNonceStore({ sliceMs: 0 }), { instanceOf: TypeError });
  t.throws(() => memoryNonceStore({ now: 5 as never }), { instanceOf: TypeError });
  t.throws(() => memoryNonceStore().claim('s', 'n', 0), { instanceOf: TypeError });
  t.notThrows(() => memoryNonceStore({ maxBytes: '64mb' }));
});

test('the default budget holds at least 10 million live nonces', (t) => {
  t.true(memoryNonceStore().usage().capacity >= 10_000_000);
});

test('200 000 claims: each fresh nonce is accepted once and every replay is refused', (t) => {
  const store = memoryNonceStore();
  let accepted = 0;
  for (let i = 0; i < 200_000; i++) if (store.claim(`inqud:TKN-${i % 7}`, `salt-${i}`, 60_000)) accepted++;
  t.is(accepted, 200_000);
  let replayed = 0;
  for (let i = 0; i < 200_000; i++) if (!store.claim(`inqud:TKN-${i % 7}`, `salt-${i}`, 60_000)) replayed++;
  t.is(replayed, 200_000);
});

type Step =
  | { readonly kind: 'claim'; readonly scope: number; readonly nonce: number; readonly ttl: number }
  | { readonly kind: 'clock'; readonly ms: number };

const steps: fc.Arbitrary<Step[]> = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('claim' as const), scope: fc.nat(2), nonce: fc.nat(40), ttl: fc.integer({ min: 1, max: 5000 }) }) },
    // Forward, and sometimes back (a clock stepped by NTP): the store must never shorten a retention.
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('clock' as const), ms: fc.integer({ min: -4000, max: 6000 }) }) },
  ),
  { maxLength: 300 },
);

test('property: no nonce is accepted twice within its retention, whatever the claims, expiries and clock steps', (t) => {
  fc.assert(
    fc.property(steps, fc.constantFrom(1, 250, 1000), fc.constantFrom(1024, 4096, 1024 * 1024), (script, sliceMs, maxBytes) => {
      let clock = 1_700_000_000_000;
      let latest = clock; // the store's time never runs backwards
      const store = memoryNonceStore({ now: () => clock, sliceMs, maxBytes });
      /** Per (scope, nonce): until when, in the store's time, a replay must be refused. */
      const retained = new Map<string, number>();
      for (const step of script) {
        if (step.kind === 'clock') {
          clock += step.ms;
          latest = Math.max(latest, clock);
          continue;
        }
        const key = `${step.scope}/${step.nonce}`;
        let first: boolean;
        try {
          first = store.claim(`scope-${step.scope}`, `nonce-${step.nonce}`, step.ttl);
        } catch (error) {
          if (!isKeygateError(error) || error.code !== 'store_unavailable') throw error;
          continue; // refused: fail closed, nothing recorded
        }
        const until = retained.get(key);
        if (first) {
          if (until !== undefined && until > latest) return false; // accepted twice within its retention
          retained.set(key, latest + step.ttl);
        } else if (until === undefined || until + sliceMs <= latest) {
          return false; // refused with no live claim to refuse it for
        }
      }
      return true;
    }),
    { numRuns: 300 },
  );
  t.pass();
});

test('property: the live count is the number of distinct nonces claimed and not yet expired', (t) => {
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 20 }), { maxLength: 200 }), (nonces) => {
      const store = memoryNonceStore({ maxBytes: '1mb' });
      for (const nonce of nonces) store.claim('s', nonce, 60_000);
      return store.usage().nonces === new Set(nonces).size;
    }),
  );
  t.pass();
});
