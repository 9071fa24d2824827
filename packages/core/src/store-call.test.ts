import test from 'ava';
import { callStore } from './store-call.js';
import { secretLookup } from './secret-store.js';

test('sync answers pass straight through', (t) => {
  t.is(callStore('s', () => 42, 10), 42);
});

test('a throw, a rejection or a hang fails closed as store_unavailable', async (t) => {
  t.throws(() => callStore('s', () => { throw new Error('db down: password=hunter2'); }, 10), { code: 'store_unavailable' } as never);
  const rejected = await t.throwsAsync(Promise.resolve(callStore('s', () => Promise.reject(new Error('x')), 10)));
  t.is((rejected as { code?: string }).code, 'store_unavailable');
  const hung = await t.throwsAsync(Promise.resolve(callStore('s', () => new Promise(() => {}), 20)));
  t.is((hung as { code?: string }).code, 'store_unavailable');
  t.false(String(hung?.message).includes('hunter2'));
});

test('secretLookup validates the store and the credentials it returns', async (t) => {
  t.throws(() => secretLookup({} as never), { instanceOf: TypeError });
  const lookup = secretLookup(new Map([['a', { secrets: ['s'] }]]));
  t.deepEqual(await lookup('a'), { secrets: ['s'] });
  t.is(await lookup('b'), undefined);
  const broken = secretLookup(async () => ({ secrets: [] }));
  await t.throwsAsync(Promise.resolve(broken('a')), { code: 'store_unavailable' } as never);
});

test('secretLookup answers a plain Map synchronously and fails closed on a Map subclass whose get() throws', async (t) => {
  const lookup = secretLookup(new Map([['a', { secrets: ['s'] }]]));
  t.deepEqual(lookup('a'), { secrets: ['s'] });
  t.is(lookup('b'), undefined);
  t.throws(() => secretLookup(new Map([['a', { secrets: 'not-an-array' }]]) as never)('a'), { code: 'store_unavailable' } as never);
  class FailingMap extends Map<string, { secrets: string[] }> {
    override get(): never {
      throw new Error('backing store down');
    }
  }
  t.throws(() => secretLookup(new FailingMap())('a'), { code: 'store_unavailable' } as never);
});
