import { spawnSync } from 'node:child_process';
import test from 'ava';
import fc from 'fast-check';
import { curlCommand, shellQuote } from './curl.js';

test('shellQuote: a POSIX shell reads back exactly the quoted text, whatever it holds', (t) => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0')), (text) => {
      const echoed = spawnSync('sh', ['-c', `printf %s ${shellQuote(text)}`], { encoding: 'utf8' }).stdout;
      return echoed === text;
    }),
    { numRuns: 60 },
  );
  t.is(shellQuote("it's"), `'it'\\''s'`);
});

test('curlCommand: method, URL, one -H per header, the body unchanged', (t) => {
  const command = curlCommand({ method: 'POST', url: 'http://h/p?q=1', headers: { A: '1', 'B-C': "x'y" }, body: { text: '@not-a-file' } });
  t.is(command, [
    "curl -sS -X POST 'http://h/p?q=1'",
    "-H 'A: 1'",
    `-H 'B-C: x'\\''y'`,
    "--data-raw '@not-a-file'",
  ].join(' \\\n  '));
  t.true(curlCommand({ method: 'PUT', url: 'http://h/', headers: {}, body: { file: 'a b.json' } }).endsWith("--data-binary @'a b.json'"));
});
