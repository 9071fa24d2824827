import test from 'ava';
import { constantTimeEqual, constantTimeEqualStrings, hmacSha256 } from './crypto.js';

test('hmacSha256 over parts equals the HMAC over their concatenation', (t) => {
  const joined = hmacSha256('secret', [Buffer.from('{"a": 1}'), 'salt']);
  t.deepEqual(joined, hmacSha256('secret', ['{"a": 1}salt']));
});

test('constantTimeEqual compares byte arrays, honouring byteOffset of pooled slices', (t) => {
  const pool = Buffer.from('xxabcdyy');
  t.true(constantTimeEqual(pool.subarray(2, 6), Buffer.from('abcd')));
  t.false(constantTimeEqual(pool.subarray(2, 6), Buffer.from('abce')));
  t.false(constantTimeEqual(Buffer.from('abc'), Buffer.from('abcd')));
});

test('constantTimeEqualStrings handles strings of any length', (t) => {
  t.true(constantTimeEqualStrings('s3cret', 's3cret'));
  t.false(constantTimeEqualStrings('s3cret', 's3cret!'));
  t.false(constantTimeEqualStrings('', 'x'));
});
