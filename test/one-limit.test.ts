// Issue 15: one limit everywhere. Against both demo gateways, every route answers a body over the 1 MiB limit with
// 413 in its own format, whether or not its scheme reads the body and whether the credentials come in headers,
// and with nothing done on its behalf (no Nonce spent, no token revoked). Bad credentials are still refused on the
// headers, before the body is read. And a Node client streaming an oversized body reads every 413.
import test from 'ava';
import { signInqud } from '@keygate/inqud';
import { signKiiex } from '@keygate/kiiex';
import { signLenme } from '@keygate/lenme';
import { signValiant } from '@keygate/valiant';
import { demo } from './helpers/demo-credentials.js';
import { FRAMEWORKS, useGateways, type GatewayProcess } from './helpers/gateways.js';
import { send, type Reply } from './helpers/http.js';
import { TEST_SESSION_KEY } from './helpers/scheme-clients.js';
import { uploads } from './helpers/uploads.js';

const gateway = useGateways({ KEYGATE_SESSION_KEY: TEST_SESSION_KEY });
const MiB = 1024 * 1024;
const big = Buffer.alloc(2 * MiB, 0x61);
const inqudToken = demo.inqud[0]!;
const valiantClient = demo.valiant[0]!;
const kiiexKey = demo.kiiex[0]!;
const lenmeKey = demo.lenme[0]!;

const kiiexFields = (nonce: string, secret = kiiexKey.secret) =>
  ({ ...signKiiex({ apiKey: kiiexKey.apiKey, secret, userId: kiiexKey.userId, nonce }) }) as Record<string, string>;

async function login(on: GatewayProcess): Promise<string> {
  const reply = await send(`${on.url}/kiiex/AuthenticateUser`, { method: 'POST', headers: kiiexFields(`login-${Math.random()}`) });
  return reply.json<{ sessionToken: string }>().sessionToken;
}

interface RouteCase {
  readonly route: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: (on: GatewayProcess, body: Buffer) => Promise<Record<string, string>>;
  /** What the 413 looks like on this route. */
  readonly check: (reply: Reply) => boolean;
}

const keygateJson = (reply: Reply) => reply.json()['code'] === 'body_too_large';
const apexInvalidRequest = (reply: Reply) => reply.json()['errorcode'] === 100;
const routes: RouteCase[] = [
  { route: 'inqud (reads the body)', method: 'POST', path: '/inqud/v1/payout', check: keygateJson, headers: async (_, body) => signInqud({ tokenId: inqudToken.tokenId, secret: inqudToken.secret, body }) },
  { route: 'valiant (never reads the body)', method: 'POST', path: '/valiant/api/v1/loans', check: (r) => r.body === '', headers: async () => signValiant(valiantClient) },
  { route: 'valiant GET authenticate', method: 'GET', path: '/valiant/api/v1/authenticate', check: (r) => r.body === '', headers: async () => signValiant(valiantClient) },
  { route: 'lenme', method: 'POST', path: '/lenme/v1/loans/fund', check: (r) => typeof r.json()['detail'] === 'string', headers: async () => ({ ...signLenme(lenmeKey), 'content-type': 'application/json' }) },
  {
    route: 'kiiex AuthenticateUser, credentials in headers', method: 'POST', path: '/kiiex/AuthenticateUser',
    check: (r) => r.json()['authenticated'] === false && !r.body.includes('sessionToken'), headers: async () => kiiexFields(`big-${Math.random()}`),
  },
  { route: 'kiiex aptoken route', method: 'POST', path: '/kiiex/SendOrder', check: apexInvalidRequest, headers: async (on) => ({ aptoken: await login(on) }) },
  { route: 'kiiex LogOut', method: 'POST', path: '/kiiex/LogOut', check: apexInvalidRequest, headers: async (on) => ({ aptoken: await login(on) }) },
  { route: 'the gateway\'s GET /healthz', method: 'GET', path: '/healthz', check: keygateJson, headers: async () => ({}) },
  { route: 'a path no route serves', method: 'POST', path: '/nowhere', check: keygateJson, headers: async () => ({}) },
];

for (const framework of FRAMEWORKS) {
  test(`${framework}: every route answers a body over the limit with its 413, Content-Length or chunked`, async (t) => {
    const on = gateway(framework);
    for (const c of routes) {
      for (const chunked of [false, true]) {
        const reply = await send(`${on.url}${c.path}`, { method: c.method, headers: await c.headers(on, big), body: big, chunked });
        t.is(reply.status, 413, `${c.route}${chunked ? ' (chunked)' : ''}: ${reply.body.slice(0, 120)}`);
        t.true(c.check(reply), `${c.route}: ${reply.body.slice(0, 120)}`);
      }
    }
    t.is((await send(`${on.url}/healthz`)).status, 200, 'and keeps serving');
  });

  test(`${framework}: a 413 from AuthenticateUser spends no Nonce, a 413 from LogOut revokes no token`, async (t) => {
    const on = gateway(framework);
    const nonce = `kept-${Math.random()}`;
    const refused = await send(`${on.url}/kiiex/AuthenticateUser`, { method: 'POST', headers: kiiexFields(nonce), body: big });
    t.is(refused.status, 413);
    const again = await send(`${on.url}/kiiex/AuthenticateUser`, { method: 'POST', headers: kiiexFields(nonce) });
    t.is(again.json()['authenticated'], true, again.body);
    const token = await login(on);
    t.is((await send(`${on.url}/kiiex/LogOut`, { method: 'POST', headers: { aptoken: token }, body: big })).status, 413);
    t.is((await send(`${on.url}/kiiex/GetUserInfo`, { headers: { aptoken: token } })).status, 200, 'the token still works');
  });

  test(`${framework}: bad credentials are still refused on their headers, before a body over the limit is read`, async (t) => {
    const on = gateway(framework);
    const cases: [string, string, Record<string, string>, number][] = [
      ['valiant, wrong secret', '/valiant/api/v1/loans', signValiant({ ...valiantClient, secret: 'wrong' }), 401],
      ['aptoken, malformed', '/kiiex/SendOrder', { aptoken: 'x.y.z' }, 401],
      ['AuthenticateUser, wrong secret', '/kiiex/AuthenticateUser', kiiexFields(`bad-${Math.random()}`, 'wrong'), 200],
    ];
    for (const [name, path, headers, status] of cases) {
      for (const chunked of [false, true]) {
        const reply = await send(`${on.url}${path}`, { method: 'POST', headers, body: big, chunked });
        t.is(reply.status, status, `${name}: ${reply.body.slice(0, 120)}`);
      }
    }
  });

  test(`${framework}: a Node client streaming 8 MiB reads its whole 413 every time (20 with Content-Length, 20 chunked)`, async (t) => {
    const on = gateway(framework);
    const body = Buffer.alloc(8 * MiB, 0x61);
    const headers = { ...signInqud({ tokenId: inqudToken.tokenId, secret: inqudToken.secret, body }), 'content-type': 'application/json' };
    for (const chunked of [false, true]) {
      const results = await uploads('node', { url: `${on.url}/inqud/v1/payout`, headers, body, file: '', chunked }, 20);
      const complete = results.filter((r) => 'status' in r && r.status === 413 && JSON.parse(r.body).code === 'body_too_large');
      t.is(complete.length, 20, `chunked=${chunked}: ${JSON.stringify(results.filter((r) => !complete.includes(r)))}`);
    }
  });
}
