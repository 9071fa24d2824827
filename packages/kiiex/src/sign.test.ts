import { createHmac } from 'node:crypto';
import test from 'ava';
import { signKiiex } from './sign.js';

test('Signature = hex HMAC-SHA256(secret, Nonce + UserId + APIKey), as the vendor document describes', (t) => {
  const fields = signKiiex({ apiKey: 'AK', secret: 'S3CR3T', userId: 42, nonce: '123456' });
  const expected = createHmac('sha256', 'S3CR3T').update('12345642AK').digest('hex');
  t.deepEqual(fields, { APIKey: 'AK', Signature: expected, UserId: '42', Nonce: '123456' });
});

test('UserId may be given as a string', (t) => {
  t.is(signKiiex({ apiKey: 'AK', secret: 'S', userId: '42', nonce: 'n' }).Signature, signKiiex({ apiKey: 'AK', secret: 'S', userId: 42, nonce: 'n' }).Signature);
});

test('without a nonce, a fresh random one each call', (t) => {
  const a = signKiiex({ apiKey: 'AK', secret: 'S', userId: 1 });
  const b = signKiiex({ apiKey: 'AK', secret: 'S', userId: 1 });
  t.regex(a.Nonce, /^[0-9a-f]{32}$/);
  t.not(a.Nonce, b.Nonce);
  t.not(a.Signature, b.Signature);
});
