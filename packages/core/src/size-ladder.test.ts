import test from 'ava';
import { rungFor, sizeLadder } from './size-ladder.js';

test('sizes climb a ladder of ratio √2 up to the segment cap', (t) => {
  const sizes = sizeLadder(1024);
  t.deepEqual(sizes.slice(0, 8), [4, 6, 8, 11, 16, 23, 32, 45]);
  t.is(sizes.at(-1), 1024);
  for (let i = 1; i < sizes.length; i++) t.true(sizes[i]! / sizes[i - 1]! <= 1.5, `${sizes[i - 1]} -> ${sizes[i]}`);
  t.is(rungFor(sizes, 5), 1);
  t.is(rungFor(sizes, 1_000_000), sizes.length - 1);
});
