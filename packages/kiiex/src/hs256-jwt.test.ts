import { createHmac } from 'node:crypto';
import test from 'ava';
import fc from 'fast-check';
import { jwtVerify } from 'jose';
import { hs256Verifier } from './hs256-jwt.js';
import { NOW, SESSION_KEY } from './test-fixtures.js';

const KEY = new TextEncoder().encode(SESSION_KEY);
const ISSUER = 'keygate-kiiex';
const AUDIENCE = 'keygate-kiiex';
const NOW_SECONDS = NOW / 1000;

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs any header and claims with the session key, including ones jose's own SignJWT would refuse to write. */
function sign(header: unknown, claims: unknown): string {
  const input = `${encode(header)}.${encode(claims)}`;
  return `${input}.${createHmac('sha256', KEY).update(input).digest('base64url')}`;
}

async function joseAccepts(token: string): Promise<boolean> {
  try {
    await jwtVerify(token, KEY, {
      algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, typ: 'JWT',
      requiredClaims: ['jti', 'sub', 'iat', 'exp'], currentDate: new Date(NOW),
    });
    return true;
  } catch {
    return false;
  }
}

function keygateAccepts(token: string): boolean {
  try {
    hs256Verifier(KEY)(token, { issuer: ISSUER, audience: AUDIENCE, nowSeconds: NOW_SECONDS });
    return true;
  } catch {
    return false;
  }
}

/** A claim that is usually well-formed, sometimes missing, sometimes of the wrong type. */
const sometimes = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 6, arbitrary: good }, fc.constant(undefined), fc.string({ maxLength: 4 }), fc.constant(null));

const seconds = fc.integer({ min: NOW_SECONDS - 5, max: NOW_SECONDS + 5 });
const header = fc.record({
  alg: fc.constantFrom('HS256', 'HS256', 'HS384', 'none', 'hs256'),
  typ: fc.constantFrom('JWT', 'jwt', 'application/jwt', 'at+jwt', undefined),
});
const claims = fc.record({
  jti: sometimes(fc.constantFrom('id-1', '')),
  sub: sometimes(fc.constantFrom('api-key', '')),
  iss: sometimes(fc.constantFrom(ISSUER, 'someone-else')),
  aud: sometimes(fc.oneof(fc.constantFrom(AUDIENCE, 'other'), fc.constantFrom([AUDIENCE], ['other', AUDIENCE], ['other']))),
  iat: sometimes(seconds),
  exp: sometimes(seconds),
  nbf: fc.option(seconds, { nil: undefined }),
});

test('accepts exactly the tokens jose jwtVerify accepts, over arbitrary headers and claims signed with the key', async (t) => {
  await fc.assert(
    fc.asyncProperty(header, claims, async (h, c) => {
      const token = sign(JSON.parse(JSON.stringify(h)), JSON.parse(JSON.stringify(c)));
      const jose = await joseAccepts(token);
      // jose accepts any present jti and sub; the session scheme wants non-empty strings (they name the token and
      // the caller), as it did when it ran on jose.
      const named = (value: unknown): boolean => typeof value === 'string' && value !== '';
      const expected = jose && named(c.jti) && named(c.sub);
      return keygateAccepts(token) === expected;
    }),
    { numRuns: 400 },
  );
  t.pass();
});

test('agrees with jose on payloads and headers that are not JSON objects', async (t) => {
  const signature = (input: string): string => createHmac('sha256', KEY).update(input).digest('base64url');
  const good = encode({ alg: 'HS256', typ: 'JWT' });
  for (const payload of ['[]', '1', '"x"', 'null', '{', '']) {
    const input = `${good}.${Buffer.from(payload).toString('base64url')}`;
    const token = `${input}.${signature(input)}`;
    t.false(keygateAccepts(token), payload);
    t.false(await joseAccepts(token), payload);
  }
});
