import test from 'ava';
import { byKeyId, parseCredentials } from './credentials.js';

const SECRET = 'do-not-print-this-secret-0123456789';
const parse = (file: unknown) => parseCredentials(JSON.stringify(file), 'creds.json');

test('notBefore / notAfter load as epoch milliseconds from either epoch milliseconds or ISO 8601', (t) => {
  const { inqud } = parse({
    inqud: [
      { tokenId: 'TKN-a', secret: 's1', notAfter: '2026-07-01T00:00:00Z' },
      { tokenId: 'TKN-a', secret: 's2', notBefore: 1_782_259_200_000 },
      { tokenId: 'TKN-b', secret: 's3', notBefore: '2026-06-24', notAfter: '2026-07-01T02:00:00+02:00' },
    ],
  });
  t.deepEqual(inqud.map(({ notBefore, notAfter }) => ({ notBefore, notAfter })), [
    { notBefore: undefined, notAfter: Date.UTC(2026, 6, 1) },
    { notBefore: 1_782_259_200_000, notAfter: undefined },
    { notBefore: Date.UTC(2026, 5, 24), notAfter: Date.UTC(2026, 6, 1) },
  ]);
});

test('a key listed twice is one credential with two secrets, each with its own window; plain entries stay strings', (t) => {
  const { inqud } = parse({
    inqud: [
      { tokenId: 'TKN-a', secret: 'old', notAfter: '2026-07-01T00:00:00Z' },
      { tokenId: 'TKN-b', secret: 'plain' },
      { tokenId: 'TKN-a', secret: 'new', notBefore: '2026-06-24T00:00:00Z' },
    ],
  });
  const grouped = byKeyId(inqud, (e) => e.tokenId);
  t.deepEqual(grouped.get('TKN-a')?.secrets, [
    { secret: 'old', notBefore: undefined, notAfter: Date.UTC(2026, 6, 1) },
    { secret: 'new', notBefore: Date.UTC(2026, 5, 24), notAfter: undefined },
  ]);
  t.deepEqual(grouped.get('TKN-b')?.secrets, ['plain']);
});

test('bad windows, seconds for milliseconds, local times and disagreeing repeats are refused by entry and field, never by value', (t) => {
  const cases: [unknown, RegExp][] = [
    [{ lenme: [{ apiKey: 'k', secret: SECRET, notAfter: 1_782_259_200 }] }, /lenme\[0\]\.notAfter looks like seconds/],
    [{ lenme: [{ apiKey: 'k', secret: SECRET, notAfter: '2026-07-01T00:00:00' }] }, /lenme\[0\]\.notAfter must be epoch milliseconds or an ISO 8601 date with a time zone/],
    [{ lenme: [{ apiKey: 'k', secret: SECRET, notBefore: SECRET }] }, /lenme\[0\]\.notBefore must be/],
    [{ lenme: [{ apiKey: 'k', secret: SECRET, notBefore: '2026-07-02', notAfter: '2026-07-01' }] }, /lenme\[0\] has notBefore after notAfter/],
    [{ valiant: [{ id: 'u', key: 'k1', secret: SECRET }, { id: 'u', key: 'k2', secret: 'x' }] }, /valiant\[1\] repeats the id of an earlier entry with another key/],
    [{ kiiex: [{ apiKey: 'k', secret: SECRET, userId: 1 }, { apiKey: 'k', secret: 'x', userId: 2 }] }, /kiiex\[1\] repeats the apiKey .* another userId/],
    [{ kiiex: [{ apiKey: 'k', secret: SECRET, userId: -1 }] }, /kiiex\[0\]\.userId must be a non-negative integer/],
    [{ inqud: [null] }, /inqud\[0\] must be an object/],
  ];
  for (const [file, message] of cases) {
    const error = t.throws(() => parse(file));
    t.regex(error?.message ?? '', message);
    t.false(error?.message.includes(SECRET), error?.message);
  }
});

test('a file that is not JSON is reported by line and column, without quoting the text around the mistake', (t) => {
  const text = `{\n  "inqud": [{ "tokenId": "TKN-a", "secret": "${SECRET}" oops }]\n}`;
  const error = t.throws(() => parseCredentials(text, 'creds.json'));
  t.regex(error?.message ?? '', /^KEYGATE_CREDENTIALS: creds\.json is not valid JSON at line 2, column \d+$/);
  t.false(error?.message.includes(SECRET), error?.message);
  t.false(error?.message.includes('oops'), error?.message);
});
