import test from 'ava';
import fc from 'fast-check';
import { DUMMY_SECRET } from './crypto.js';
import { secretLookup, type Credential } from './secret-store.js';

const T = Date.parse('2026-06-01T00:00:00Z');

test('plain string secrets pass through untouched: the same object, no clock read', async (t) => {
  const credential = { secrets: ['a', 'b'] };
  const lookup = secretLookup(new Map([['k', credential]]), { now: () => t.fail('clock read') as never });
  t.is(await lookup('k'), credential);
});

test('a windowed secret is usable inside its window, both ends inclusive, and replaced by the dummy outside it', async (t) => {
  let now = T;
  const store = new Map<string, Credential>([['k', { secrets: ['always', { secret: 'windowed', notBefore: T, notAfter: T + 1000 }] }]]);
  const lookup = secretLookup(store, { now: () => now });
  const at = async (time: number) => {
    now = time;
    return (await lookup('k'))!.secrets;
  };
  t.deepEqual(await at(T - 1), ['always', DUMMY_SECRET]);
  t.deepEqual(await at(T), ['always', 'windowed']);
  t.deepEqual(await at(T + 1000), ['always', 'windowed']);
  t.deepEqual(await at(T + 1001), ['always', DUMMY_SECRET]);
});

test('an open-ended window bounds one side only; the credential\'s other fields are kept', async (t) => {
  const store = new Map([['k', { key: 'api-key', secrets: [{ secret: 'old', notAfter: T }, { secret: 'new', notBefore: T }] }]]);
  const before = await secretLookup(store, { now: () => T - 1 })('k');
  const after = await secretLookup(store, { now: () => T + 1 })('k');
  t.deepEqual(before, { key: 'api-key', secrets: ['old', DUMMY_SECRET] });
  t.deepEqual(after, { key: 'api-key', secrets: [DUMMY_SECRET, 'new'] });
});

test('an inactive secret keeps its place and count, whatever the window and the time', async (t) => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ secret: fc.string({ minLength: 1 }), notBefore: fc.option(fc.integer(), { nil: undefined }), notAfter: fc.option(fc.integer(), { nil: undefined }) }), { minLength: 1, maxLength: 5 }),
      fc.integer(),
      (entries, now) => {
        const active = secretLookup(new Map([['k', { secrets: entries }]]), { now: () => now })('k') as { secrets: string[] };
        return (
          active.secrets.length === entries.length &&
          entries.every((e, i) => {
            const inside = (e.notBefore === undefined || now >= e.notBefore) && (e.notAfter === undefined || now <= e.notAfter);
            return active.secrets[i] === (inside ? e.secret : DUMMY_SECRET);
          })
        );
      },
    ),
  );
  t.pass();
});

test('malformed secrets or windows fail closed with store_unavailable, naming no secret', async (t) => {
  for (const secrets of [[], [''], [{ secret: '' }], [{ secret: 's3cr3t', notAfter: '2026-01-01' }], [{ secret: 's3cr3t', notBefore: Number.NaN }], [42], [null]]) {
    const lookup = secretLookup(new Map([['k', { secrets } as never]]));
    const error = t.throws(() => lookup('k'), { code: 'store_unavailable' } as never);
    t.false(String(error?.message).includes('s3cr3t'));
  }
});
