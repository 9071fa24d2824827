// Every Kiiex refusal over real HTTP, against every demo gateway, which must answer alike: AuthenticateUser failures
// are 200 {"authenticated": false, "locked": false, "errormsg"} without a token; aptoken failures are 401 JSON.
import { createHmac } from 'node:crypto';
import test, { type ExecutionContext } from 'ava';
import { SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import { signKiiex } from '@keygate/kiiex';
import { createExpressGateway } from '@keygate/express-gateway';
import { createFastifyGateway } from '@keygate/fastify-gateway';
import { startGateway, type GatewayFactory } from '@keygate/gateway-config';
import { createHonoGateway } from '@keygate/hono-gateway';
import { createKoaGateway } from '@keygate/koa-gateway';
import { demo } from './helpers/demo-credentials.js';
import { FRAMEWORKS, ring, startGateways, useGateways, type Framework, type GatewayProcess } from './helpers/gateways.js';
import { send, type Reply, type SendOptions } from './helpers/http.js';

const SESSION_KEY = 'gateway-session-key-8c2a6e0b4d9f1a3c5e7b9d2f4a6c8e0b';
const { apiKey, secret, userId } = demo.kiiex[0]!;

const gateway = useGateways({ KEYGATE_SESSION_KEY: SESSION_KEY });
const fields = (overrides: Partial<Parameters<typeof signKiiex>[0]> = {}) => signKiiex({ apiKey, secret, userId, ...overrides });
const expectedSignature = (nonce: string, user: string | number = userId, key = apiKey) =>
  createHmac('sha256', secret).update(`${nonce}${user}${key}`).digest('hex');

function authenticateUser(on: GatewayProcess, options: SendOptions): Promise<Reply> {
  return send(`${on.url}/kiiex/AuthenticateUser`, { method: 'POST', ...options });
}

async function login(on: GatewayProcess): Promise<string> {
  const reply = await authenticateUser(on, { headers: { ...fields() } });
  return reply.json<{ sessionToken: string }>().sessionToken;
}

/** Every gateway answered the same bytes (each body labelled by its framework, in FRAMEWORKS order). */
function assertSameBytes(t: ExecutionContext, bodies: readonly string[], what = ''): void {
  for (const [index, body] of bodies.entries()) t.is(body, bodies[0]!, `${what} ${FRAMEWORKS[index]} answers what ${FRAMEWORKS[0]} does`.trim());
}

function assertNoLeak(t: ExecutionContext, reply: Reply, extra: readonly string[] = []): void {
  for (const value of [secret, SESSION_KEY, ...extra]) {
    t.false(reply.body.toLowerCase().includes(value.toLowerCase()), 'the reply shows a secret, a key, a signature or a token');
  }
}

interface AuthCase {
  readonly title: string;
  /** Sends the refused request (after any set-up) and returns it with the values that must not leak. */
  readonly send: (on: GatewayProcess) => Promise<{ reply: Reply; forbidden?: readonly string[] }>;
  readonly errormsg?: RegExp;
  readonly status?: number;
}

const INVALID = /^Invalid APIKey or Signature/;
const authCases: AuthCase[] = [
  {
    title: 'bad signature', errormsg: INVALID,
    send: async (on) => {
      const f = fields({ secret: 'not-the-secret' });
      return { reply: await authenticateUser(on, { headers: { ...f } }), forbidden: [expectedSignature(f.Nonce)] };
    },
  },
  {
    title: 'signature of another Nonce', errormsg: INVALID,
    send: async (on) => {
      const f = { ...fields(), Nonce: 'other-nonce' };
      return { reply: await authenticateUser(on, { headers: f }), forbidden: [expectedSignature('other-nonce')] };
    },
  },
  { title: 'unknown APIKey', errormsg: INVALID, send: async (on) => ({ reply: await authenticateUser(on, { headers: { ...fields({ apiKey: 'no-such-key' }) } }) }) },
  {
    title: 'UserId of another user', errormsg: /^UserId is not the user/,
    send: async (on) => ({ reply: await authenticateUser(on, { headers: { ...fields({ userId: userId + 1 }) } }) }),
  },
  {
    title: 'reused Nonce (headers, then JSON body)', errormsg: /Nonce was already used/,
    send: async (on) => {
      const f = fields();
      const first = await authenticateUser(on, { headers: { ...f } });
      if (first.json()['authenticated'] !== true) throw new Error(`first use refused: ${first.body}`);
      return { reply: await authenticateUser(on, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(f) }) };
    },
  },
  {
    title: 'missing Nonce header', errormsg: /missing headers: Nonce$/,
    send: async (on) => {
      const { Nonce: _nonce, ...rest } = fields();
      return { reply: await authenticateUser(on, { headers: rest }) };
    },
  },
  { title: 'no fields at all', errormsg: /missing JSON body fields: APIKey, Signature, UserId, Nonce$/, send: async (on) => ({ reply: await authenticateUser(on, {}) }) },
  {
    title: 'malformed JSON body', errormsg: /not valid UTF-8 JSON/,
    send: async (on) => ({ reply: await authenticateUser(on, { headers: { 'content-type': 'application/json' }, body: '{"APIKey": "' }) }),
  },
  {
    title: 'APIKey header sent twice', errormsg: /sent more than once/,
    send: async (on) => {
      const f = fields();
      const headers = ['APIKey', apiKey, 'APIKey', 'other', 'Signature', f.Signature, 'UserId', f.UserId, 'Nonce', f.Nonce];
      return { reply: await authenticateUser(on, { headers }) };
    },
  },
  {
    title: 'body over 1 MiB', status: 413,
    send: async (on) => ({ reply: await authenticateUser(on, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...fields(), pad: 'x'.repeat(1024 * 1024) }) }) }),
  },
];

for (const c of authCases) {
  test(`AuthenticateUser refused alike by every gateway: ${c.title}`, async (t) => {
    const bodies: string[] = [];
    for (const framework of FRAMEWORKS) {
      const { reply, forbidden = [] } = await c.send(gateway(framework));
      t.is(reply.status, c.status ?? 200, `${framework}: ${reply.body}`);
      t.is(String(reply.headers['content-type']), 'application/json; charset=utf-8', framework);
      const body = reply.json();
      t.deepEqual(Object.keys(body), ['authenticated', 'locked', 'errormsg'], framework);
      t.like(body, { authenticated: false, locked: false }, framework);
      if (c.errormsg) t.regex(String(body['errormsg']), c.errormsg, framework);
      assertNoLeak(t, reply, forbidden);
      bodies.push(reply.body);
    }
    assertSameBytes(t, bodies);
  });
}

test('every gateway keeps serving after a 413', async (t) => {
  for (const framework of FRAMEWORKS) t.is((await send(`${gateway(framework).url}/healthz`)).status, 200);
});

const KEY = new TextEncoder().encode(SESSION_KEY);
const nowSeconds = () => Math.floor(Date.now() / 1000);
const claims = (overrides: JWTPayload = {}): JWTPayload => ({
  jti: `forged-${Math.random()}`, sub: apiKey, iss: 'keygate-kiiex', aud: 'keygate-kiiex', iat: nowSeconds(), exp: nowSeconds() + 600, ...overrides,
});
const forge = (payload: JWTPayload, key = KEY) => new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);

interface TokenCase {
  readonly title: string;
  readonly token: (on: GatewayProcess) => Promise<string | readonly string[] | undefined>;
  readonly detail?: RegExp;
}

const tokenCases: TokenCase[] = [
  { title: 'missing', token: async () => undefined, detail: /aptoken header is missing/ },
  { title: 'malformed', token: async () => 'definitely.not.a-token' },
  {
    title: 'tampered (one payload character changed)', detail: /signature does not verify/,
    token: async (on) => {
      const token = await login(on);
      const at = token.indexOf('.') + 5;
      return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
    },
  },
  { title: 'signed with another key', token: async () => forge(claims(), new TextEncoder().encode('another-session-key-of-at-least-32-bytes')) },
  { title: 'expired', detail: /expired/, token: async () => forge(claims({ iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 })) },
  { title: 'wrong issuer', detail: /iss claim/, token: async () => forge(claims({ iss: 'someone-else' })) },
  { title: 'wrong audience', detail: /aud claim/, token: async () => forge(claims({ aud: 'someone-else' })) },
  { title: 'alg none', token: async () => new UnsecuredJWT(claims()).encode() },
  {
    title: 'revoked by LogOut', detail: /ended by LogOut/,
    token: async (on) => {
      const token = await login(on);
      const logout = await send(`${on.url}/kiiex/LogOut`, { method: 'POST', headers: { aptoken: token } });
      if (logout.status !== 200) throw new Error(`LogOut failed: ${logout.body}`);
      return token;
    },
  },
  { title: 'sent twice', detail: /sent more than once/, token: async (on) => [await login(on), await login(on)] },
];

for (const c of tokenCases) {
  test(`aptoken refused alike by every gateway with 401: ${c.title}`, async (t) => {
    const bodies: string[] = [];
    for (const framework of FRAMEWORKS) {
      const on = gateway(framework);
      const token = await c.token(on);
      const headers = token === undefined ? [] : typeof token === 'string' ? ['aptoken', token] : token.flatMap((v) => ['aptoken', v]);
      for (const [method, path] of [['GET', '/kiiex/GetUserInfo'], ['POST', '/kiiex/SendOrder'], ['POST', '/kiiex/LogOut']] as const) {
        const reply = await send(`${on.url}${path}`, { method, headers: [...headers, 'content-type', 'application/json'], body: '{"OMSId":1}' });
        t.is(reply.status, 401, `${framework} ${method} ${path}: ${reply.body}`);
        const body = reply.json();
        t.like(body, { result: false, errormsg: 'Not Authorized', errorcode: 20 }, framework);
        if (c.detail) t.regex(String(body['detail']), c.detail, framework);
        assertNoLeak(t, reply, typeof token === 'string' ? [token] : []);
        if (method === 'GET') bodies.push(reply.body);
      }
    }
    assertSameBytes(t, bodies);
  });
}

test('a valid aptoken with a body over 1 MiB is a 413; an invalid one is refused before the body is read', async (t) => {
  for (const framework of FRAMEWORKS) {
    const on = gateway(framework);
    const body = JSON.stringify({ pad: 'x'.repeat(1024 * 1024) });
    const big = await send(`${on.url}/kiiex/SendOrder`, { method: 'POST', headers: { aptoken: await login(on), 'content-type': 'application/json' }, body });
    t.is(big.status, 413, framework);
    t.like(big.json(), { result: false, errorcode: 100 });
    const refused = await send(`${on.url}/kiiex/SendOrder`, { method: 'POST', headers: { aptoken: 'x.y.z', 'content-type': 'application/json' }, body });
    t.is(refused.status, 401, framework);
  }
});

test('paths match exactly on every gateway: only POST /kiiex/AuthenticateUser and /kiiex/LogOut are endpoints', async (t) => {
  const f = fields();
  for (const [method, path, status] of [
    ['POST', '/kiiex/authenticateuser', 401],
    ['POST', '/kiiex/AuthenticateUser/', 401],
    ['GET', '/kiiex/AuthenticateUser', 401],
    ['POST', '/KIIEX/AuthenticateUser', 404],
  ] as const) {
    const replies = await Promise.all(FRAMEWORKS.map((fw) => send(`${gateway(fw).url}${path}`, { method, headers: { ...f } })));
    for (const reply of replies) t.is(reply.status, status, `${method} ${path}: ${reply.body}`);
    assertSameBytes(t, replies.map((r) => r.body), `${method} ${path}`);
  }
});

test('without KEYGATE_SESSION_KEY each gateway warns and signs with its own key, so the other refuses its tokens', async (t) => {
  const own = await startGateways();
  try {
    for (const g of own) t.regex(g.output(), /KEYGATE_SESSION_KEY is not set: Kiiex session tokens are signed with a random per-process key/);
    for (const [issuer, other] of ring(own)) {
      const token = await login(issuer);
      t.is((await send(`${issuer.url}/kiiex/GetUserInfo`, { headers: { aptoken: token } })).status, 200, issuer.framework);
      const elsewhere = await send(`${other.url}/kiiex/GetUserInfo`, { headers: { aptoken: token } });
      t.is(elsewhere.status, 401, `${issuer.framework} token on ${other.framework}`);
      t.regex(String(elsewhere.json()['detail']), /signature does not verify/);
    }
  } finally {
    await Promise.all(own.map((g) => g.stop()));
  }
});

// In-process (the same start-up code `pnpm demo` runs, without spawning two more processes): runGatewayProcess turns
// this rejection into `failed to start: …` and exit code 1.
const FACTORIES: Record<Framework, GatewayFactory> = {
  express: createExpressGateway,
  koa: createKoaGateway,
  fastify: createFastifyGateway,
  hono: createHonoGateway,
};

for (const [framework, factory] of Object.entries(FACTORIES)) {
  test(`${framework}: a KEYGATE_SESSION_KEY under 32 bytes stops the start-up without showing it`, async (t) => {
    const shortKey = 'short-key-0123456789abcdefghijk';
    const error = await t.throwsAsync(startGateway(`${framework}-gateway`, factory, { PORT: '0', KEYGATE_SESSION_KEY: shortKey }));
    t.regex(error?.message ?? '', /^KEYGATE_SESSION_KEY must be at least 32 bytes/);
    t.false(error?.message.includes(shortKey));
  });
}
