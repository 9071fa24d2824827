import test from 'ava';
import { parseByteLimit } from './options.js';

test('byte limits parse numbers and unit strings, and reject anything else', (t) => {
  t.is(parseByteLimit('limit', undefined, 5), 5);
  t.is(parseByteLimit('limit', 1024, 5), 1024);
  t.is(parseByteLimit('limit', '1mb', 5), 1024 * 1024);
  t.is(parseByteLimit('limit', '512KB', 5), 512 * 1024);
  for (const bad of [0, -1, 1.5, '', 'lots', '1 tb', Number.NaN]) {
    t.throws(() => parseByteLimit('limit', bad as never, 5), { instanceOf: TypeError });
  }
});
