import test from 'ava';
import { kiiex } from './kiiex.js';
import type { KiiexOptions } from './options.js';
import { SESSION_KEY } from './test-fixtures.js';

const secrets = new Map();
const valid: KiiexOptions = { secrets, sessionKey: SESSION_KEY };

test('a 32-byte session key is accepted, as a string or as bytes', (t) => {
  t.notThrows(() => kiiex({ secrets, sessionKey: 'k'.repeat(32) }));
  t.notThrows(() => kiiex({ secrets, sessionKey: new Uint8Array(32) }));
  t.notThrows(() => kiiex({ secrets, sessionKey: '\u00e9'.repeat(16) }), 'counts UTF-8 bytes, not characters');
});

const shortKeys: [string, unknown][] = [
  ['31-character string', 'short-session-key-31-characters'],
  ['16 bytes', new Uint8Array(16).fill(7)],
  ['empty string', ''],
  ['a number', 12345],
  ['undefined', undefined],
];
for (const [title, sessionKey] of shortKeys) {
  test(`session key refused at start-up: ${title}`, (t) => {
    const error = t.throws(() => kiiex({ secrets, sessionKey } as KiiexOptions), { instanceOf: TypeError, message: /sessionKey must be/ });
    if (typeof sessionKey === 'string' && sessionKey !== '') t.false(error?.message.includes(sessionKey));
  });
}

const badOptions: [string, Partial<Record<keyof KiiexOptions, unknown>>, RegExp][] = [
  ['no secrets', { secrets: undefined }, /secrets must be a Map or a lookup function/],
  ['secrets an object', { secrets: {} }, /secrets must be a Map/],
  ['sessionTtlSeconds 0', { sessionTtlSeconds: 0 }, /sessionTtlSeconds must be a positive integer/],
  ['sessionTtlSeconds 1.5', { sessionTtlSeconds: 1.5 }, /sessionTtlSeconds/],
  ['nonceRetentionMs -1', { nonceRetentionMs: -1 }, /nonceRetentionMs/],
  ['storeTimeoutMs NaN', { storeTimeoutMs: Number.NaN }, /storeTimeoutMs/],
  ['empty issuer', { issuer: '' }, /issuer must be a non-empty string/],
  ['audience a number', { audience: 1 }, /audience must be a non-empty string/],
  ['allowStaticNonce a string', { allowStaticNonce: 'yes' }, /allowStaticNonce must be a boolean/],
  ['nonces without claim', { nonces: {} }, /nonces must be a store with claim\(\)/],
  ['revocations without isRevoked', { revocations: { revoke() {} } }, /revocations must be a store with revoke\(\) and isRevoked\(\)/],
  ['now not a function', { now: 5 }, /now must be a function/],
  ['hmac not a function', { hmac: 'sha256' }, /hmac must be a function/],
];
for (const [title, override, message] of badOptions) {
  test(`options refused at start-up: ${title}`, (t) => {
    const error = t.throws(() => kiiex({ ...valid, ...override } as KiiexOptions), { instanceOf: TypeError, message });
    t.false(error?.message.includes(SESSION_KEY));
  });
}

test('no options at all is a TypeError', (t) => {
  t.throws(() => kiiex(undefined as unknown as KiiexOptions), { instanceOf: TypeError });
});
