// Property tests for Kiiex: whatever one changes in a signed AuthenticateUser (Nonce, UserId, APIKey, Signature) it
// never authenticates, and no single changed character in a session token is accepted.
import test from 'ava';
import fc from 'fast-check';
import { fakeSignedRequest, memoryNonceStore, type HttpReply } from '@keygate/core';
import { kiiex, signKiiex, type KiiexAuthFields } from '@keygate/kiiex';

const SESSION_KEY = 'property-session-key-1f3e5d7c9b2a4f6e8d0c2b4a6f8e1d3c';
const NOW = Date.UTC(2026, 0, 1);
const visible = (max: number) => fc.stringMatching(new RegExp(`^[\\x21-\\x7e]{1,${max}}$`));
const apiKeyArb = visible(64);
const secretArb = fc.string({ minLength: 1, maxLength: 64 });
const nonceArb = visible(64);
const userIdArb = fc.integer({ min: 0, max: 2 ** 31 });
const FIELD_NAMES = ['APIKey', 'Signature', 'UserId', 'Nonce'] as const;

function instance(apiKey: string, secret: string, userId: number) {
  return kiiex({
    secrets: new Map([[apiKey, { secrets: [secret], userId }]]),
    sessionKey: SESSION_KEY,
    now: () => NOW,
    nonces: memoryNonceStore({ now: () => NOW }),
  });
}

function requestFor(fields: Record<string, string>, asBody: boolean) {
  return asBody
    ? fakeSignedRequest({ 'content-type': 'application/json' }, JSON.stringify(fields))
    : fakeSignedRequest(fields);
}

async function authenticated(reply: Promise<HttpReply>): Promise<boolean> {
  return reply.then(
    (r) => (JSON.parse(String(r.body)) as { authenticated: boolean }).authenticated === true,
    () => false,
  );
}

/** The same text with one character replaced by a different visible ASCII character. */
function changeOne(text: string, index: number, delta: number): string {
  const at = index % text.length;
  const code = text.charCodeAt(at);
  const replaced = String.fromCharCode(0x21 + ((code - 0x21 + delta) % 94));
  return text.slice(0, at) + replaced + text.slice(at + 1);
}

test('every AuthenticateUser the signer makes authenticates, in headers or in the JSON body', async (t) => {
  await fc.assert(
    fc.asyncProperty(apiKeyArb, secretArb, userIdArb, nonceArb, fc.boolean(), async (apiKey, secret, userId, nonce, asBody) => {
      const fields = signKiiex({ apiKey, secret, userId, nonce });
      return authenticated(instance(apiKey, secret, userId).authenticateUser.handle(requestFor({ ...fields }, asBody)));
    }),
  );
  t.pass();
});

test('any single-character change to Nonce, UserId, APIKey or Signature never authenticates', async (t) => {
  await fc.assert(
    fc.asyncProperty(
      apiKeyArb, secretArb, userIdArb, nonceArb, fc.constantFrom(...FIELD_NAMES), fc.nat(), fc.integer({ min: 1, max: 93 }), fc.boolean(),
      async (apiKey, secret, userId, nonce, field, index, delta, asBody) => {
        const fields: Record<keyof KiiexAuthFields, string> = { ...signKiiex({ apiKey, secret, userId, nonce }) };
        const changed = changeOne(fields[field], index, delta);
        // A hex letter in the other case is the same Signature, not a change.
        if (field === 'Signature' && changed.toLowerCase() === fields.Signature.toLowerCase()) return true;
        const request = requestFor({ ...fields, [field]: changed }, asBody);
        return !(await authenticated(instance(apiKey, secret, userId).authenticateUser.handle(request)));
      },
    ),
  );
  t.pass();
});

test('any other value for Nonce, UserId, APIKey or Signature never authenticates', async (t) => {
  await fc.assert(
    fc.asyncProperty(
      apiKeyArb, secretArb, userIdArb, nonceArb, fc.constantFrom(...FIELD_NAMES), fc.oneof(visible(80), fc.string({ maxLength: 80 })), fc.boolean(),
      async (apiKey, secret, userId, nonce, field, replacement, asBody) => {
        const fields: Record<keyof KiiexAuthFields, string> = { ...signKiiex({ apiKey, secret, userId, nonce }) };
        if (replacement === fields[field] || (field === 'Signature' && replacement.toLowerCase() === fields.Signature.toLowerCase())) return true;
        const request = requestFor({ ...fields, [field]: replacement }, asBody);
        return !(await authenticated(instance(apiKey, secret, userId).authenticateUser.handle(request)));
      },
    ),
  );
  t.pass();
});

test('any single changed character in a session token is refused', async (t) => {
  const { authenticateUser, session } = instance('property-key', 'property-secret', 42);
  const tokens: string[] = [];
  for (let i = 0; i < 5; i++) {
    const reply = await authenticateUser.handle(fakeSignedRequest({ ...signKiiex({ apiKey: 'property-key', secret: 'property-secret', userId: 42 }) }));
    tokens.push((JSON.parse(String(reply.body)) as { sessionToken: string }).sessionToken);
  }
  for (const token of tokens) t.deepEqual(await session.verify(fakeSignedRequest({ aptoken: token })), { principal: 'property-key' });
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...tokens), fc.nat(), fc.integer({ min: 1, max: 93 }), async (token, index, delta) => {
      const changed = changeOne(token, index, delta);
      return session.verify(fakeSignedRequest({ aptoken: changed })).then(
        () => false,
        (error: { code?: string }) => error.code === 'session_invalid',
      );
    }),
    { numRuns: 1000 },
  );
  t.pass();
});
