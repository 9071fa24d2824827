// Vendor-style Kiiex clients (Java 17 single-file with java.net.http + javax.crypto.Mac, Node with fetch), in both
// the headers and the JSON-body variant, against every running demo gateway: authenticate, reuse the token, LogOut.
// The gateways share KEYGATE_SESSION_KEY, so a token from one is accepted by the others.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import test, { type ExecutionContext } from 'ava';
import { signKiiex } from '@keygate/kiiex';
import { demo } from './helpers/demo-credentials.js';
import { FRAMEWORKS, ring, useGateways, type GatewayProcess } from './helpers/gateways.js';

const run = promisify(execFile);
const interop = (file: string): string => new URL(`./interop/${file}`, import.meta.url).pathname;
const SESSION_KEY = 'interop-session-key-5b1e9c3a7d2f4e6b8a0c1d3e5f7a9b2c';
const account = demo.kiiex[0]!;
const { apiKey, secret, userId } = account;

const gateway = useGateways({ KEYGATE_SESSION_KEY: SESSION_KEY });

const VARIANTS = ['headers', 'body'] as const;
const CLIENTS = {
  java: (url: string) => run('java', [interop('KiiexClient.java'), url, apiKey, secret, String(userId), ...VARIANTS], { timeout: 90_000 }),
  node: (url: string) => run(process.execPath, [interop('kiiex_client.mjs'), url, apiKey, secret, String(userId), ...VARIANTS]),
};

type Steps = Record<string, { status: number; body: Record<string, unknown> }>;

/** The client's lines, grouped by variant: `variant<TAB>step<TAB>status<TAB>body`. */
function parseSteps(stdout: string): Record<string, Steps> {
  const byVariant: Record<string, Steps> = {};
  for (const line of stdout.trim().split('\n')) {
    const [variant = '', name = '', status = '', body = ''] = line.split('\t');
    (byVariant[variant] ??= {})[name] = { status: Number(status), body: JSON.parse(body) };
  }
  return byVariant;
}

function assertFlow(t: ExecutionContext, steps: Steps): void {
  const auth = steps['authenticate']!;
  t.is(auth.status, 200);
  t.like(auth.body, { authenticated: true, locked: false, requires2FA: false, errormsg: null });
  t.deepEqual(auth.body['user'], {
    userId, userName: account.userName, email: account.email, emailVerified: false, accountId: account.accountId, omsId: account.omsId, use2FA: false,
  });
  t.regex(String(auth.body['sessionToken']), /^[\w-]+\.[\w-]+\.[\w-]+$/);
  for (const step of ['get1', 'get2', 'get3']) {
    t.is(steps[step]?.status, 200, step);
    t.deepEqual(steps[step]?.body, { scheme: 'kiiex', principal: apiKey, method: 'GET', path: '/kiiex/GetUserAccounts?OMSId=1', body: null }, step);
  }
  t.deepEqual(steps['post']?.body, { scheme: 'kiiex', principal: apiKey, method: 'POST', path: '/kiiex/GetAccountPositions', body: { OMSId: 1, AccountId: 7 } });
  for (const refused of ['replay', 'wrong_secret']) {
    t.is(steps[refused]?.status, 200, refused);
    t.deepEqual(Object.keys(steps[refused]?.body ?? {}), ['authenticated', 'locked', 'errormsg'], refused);
    t.like(steps[refused]?.body, { authenticated: false, locked: false }, refused);
  }
  t.regex(String(steps['replay']?.body['errormsg']), /Nonce was already used/);
  t.deepEqual(steps['logout'], { status: 200, body: { result: true } });
  t.is(steps['after_logout']?.status, 401);
  t.like(steps['after_logout']?.body, { result: false, errormsg: 'Not Authorized', errorcode: 20 });
}

// One client process per framework runs both variants: fewer JVM start-ups on a 2-core CI machine.
for (const framework of FRAMEWORKS) {
  for (const [client, runClient] of Object.entries(CLIENTS)) {
    test.serial(`${framework}: ${client} client, headers and JSON-body variants: authenticate, reuse the token, LogOut, then refused`, async (t) => {
      const { stdout } = await runClient(gateway(framework).url);
      const byVariant = parseSteps(stdout);
      t.deepEqual(Object.keys(byVariant), [...VARIANTS]);
      for (const variant of VARIANTS) {
        const steps = byVariant[variant]!;
        t.deepEqual(Object.keys(steps), ['authenticate', 'get1', 'get2', 'get3', 'post', 'replay', 'wrong_secret', 'logout', 'after_logout'], variant);
        assertFlow(t, steps);
      }
      t.false(stdout.includes(secret), 'no reply shows the secret');
      t.false(stdout.includes(SESSION_KEY));
      t.false(gateway(framework).output().includes(secret), 'no secret in the gateway log');
    });
  }
}

async function authenticate(on: GatewayProcess): Promise<string> {
  const response = await fetch(`${on.url}/kiiex/AuthenticateUser`, { method: 'POST', headers: { ...signKiiex({ apiKey, secret, userId }) } });
  return ((await response.json()) as { sessionToken: string }).sessionToken;
}

for (const [from, to] of ring(FRAMEWORKS)) {
  test(`a token issued by the ${from} gateway is accepted by the ${to} gateway (same KEYGATE_SESSION_KEY)`, async (t) => {
    const aptoken = await authenticate(gateway(from));
    for (const on of [gateway(to), gateway(from), gateway(to)]) {
      const response = await fetch(`${on.url}/kiiex/GetUserInfo`, { headers: { aptoken } });
      t.is(response.status, 200, on.framework);
      t.like(await response.json(), { scheme: 'kiiex', principal: apiKey });
    }
    const logout = await fetch(`${gateway(to).url}/kiiex/LogOut`, { method: 'POST', headers: { aptoken } });
    t.deepEqual(await logout.json(), { result: true });
    t.is((await fetch(`${gateway(to).url}/kiiex/GetUserInfo`, { headers: { aptoken } })).status, 401);
  });
}

test('with KEYGATE_SESSION_KEY set, no gateway warns about a random key or prints the key', (t) => {
  for (const g of FRAMEWORKS.map(gateway)) {
    t.false(g.output().includes(SESSION_KEY), g.framework);
    t.false(g.output().includes('KEYGATE_SESSION_KEY is not set'), g.framework);
  }
});
