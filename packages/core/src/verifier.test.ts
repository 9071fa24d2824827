import test from 'ava';
import fc from 'fast-check';
import { MAX_JSON_DEPTH, parseJson } from './verifier.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

test('parseJson parses UTF-8 JSON and refuses anything else with malformed_body', (t) => {
  t.deepEqual(parseJson(bytes('{"a": [1, "x]"]}')), { a: [1, 'x]'] });
  t.throws(() => parseJson(bytes('{"a": ')), { code: 'malformed_body' } as never);
  t.throws(() => parseJson(Buffer.from([0x22, 0xff, 0x22])), { code: 'malformed_body' } as never, 'invalid UTF-8');
});

test('parseJson refuses nesting deeper than MAX_JSON_DEPTH, counting only brackets outside strings', (t) => {
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  t.notThrows(() => parseJson(bytes(nested(MAX_JSON_DEPTH))));
  t.throws(() => parseJson(bytes(nested(MAX_JSON_DEPTH + 1))), { code: 'malformed_body' } as never);
  t.throws(() => parseJson(bytes(nested(200_000))), { code: 'malformed_body' } as never);
  t.notThrows(() => parseJson(bytes(JSON.stringify({ s: '['.repeat(10_000) + '\\"[' }))));
});

test('parseJson counts nesting on the bytes: multi-byte UTF-8 keys and strings neither hide nor add a level', (t) => {
  const objects = (depth: number) => '{"ü[":'.repeat(depth) + '"é]{"' + '}'.repeat(depth);
  t.notThrows(() => parseJson(bytes(objects(MAX_JSON_DEPTH))));
  t.throws(() => parseJson(bytes(objects(MAX_JSON_DEPTH + 1))), { code: 'malformed_body' } as never);
});

test('parseJson never throws anything but a KeygateError, and round-trips what it accepts', (t) => {
  fc.assert(
    fc.property(fc.oneof(fc.json(), fc.string()), (text) => {
      try {
        const value = parseJson(bytes(text));
        return JSON.stringify(value) === JSON.stringify(JSON.parse(text));
      } catch (error) {
        return (error as { code?: string }).code === 'malformed_body';
      }
    }),
  );
  t.pass();
});
