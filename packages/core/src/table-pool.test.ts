import test from 'ava';
import { TablePool } from './table-pool.js';

const KIB = 1024;

test('sizes climb a ladder of ratio √2 up to the segment cap', (t) => {
  const pool = new TablePool(1024, 64 * 1024 * KIB);
  const sizes = Array.from({ length: pool.topRung + 1 }, (_, rung) => pool.take(rung)!.length / 16);
  t.deepEqual(sizes.slice(0, 8), [4, 6, 8, 11, 16, 23, 32, 45]);
  t.is(sizes.at(-1), 1024);
  for (let i = 1; i < sizes.length; i++) t.true(sizes[i]! / sizes[i - 1]! <= 1.5, `${sizes[i - 1]} -> ${sizes[i]}`);
  t.is(pool.rungFor(5), 1);
  t.is(pool.rungFor(1_000_000), pool.topRung);
});

test('a table given back is reused, zeroed, for the next table of its size', (t) => {
  const pool = new TablePool(1024, 64 * 1024 * KIB);
  const table = pool.take(3)!;
  table.fill(7);
  const bytes = pool.bytes;
  pool.give(table);
  const again = pool.take(3)!;
  t.is(again, table);
  t.true(again.every((word) => word === 0));
  t.is(pool.bytes, bytes, 'no new allocation');
});

test('the budget holds: kept tables are dropped before it is passed, and a table that replaces another may take its room', (t) => {
  const pool = new TablePool(16, 2 * KIB); // 32 buckets in all
  const first = pool.take(pool.topRung)!; // 16 buckets, 1 KiB
  pool.give(pool.take(0)!); // 4 buckets, kept
  t.is(pool.bytes, KIB + 256, 'a kept table still counts');
  const second = pool.take(pool.topRung)!; // fits only once the kept table is dropped
  t.truthy(second);
  t.is(pool.bytes, 2 * KIB);
  t.is(pool.take(0), undefined, 'the budget is spent');
  t.truthy(pool.take(pool.rungFor(11), first.byteLength), 'room for a table that replaces one being given back');
});
