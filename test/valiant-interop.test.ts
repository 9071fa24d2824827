// Valiant's own shell example (curl, with the signed key made by openssl) against every running demo gateway, plus
// the refusals, and proof that a bad request is answered before its body is read.
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import test from 'ava';
import { signValiant } from '@keygate/valiant';
import { demo } from './helpers/demo-credentials.js';
import { FRAMEWORKS, useGateways } from './helpers/gateways.js';
import { send } from './helpers/http.js';

const run = promisify(execFile);
const CURL_SCRIPT = new URL('./interop/valiant_curl.sh', import.meta.url).pathname;
const { id, key, secret } = demo.valiant[0]!;
const signedKey = signValiant({ id, key, secret })['X-AUTH-SIGNED-KEY']!;

const gateway = useGateways();

interface CurlReply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Runs the vendor's curl example; empty id, key or content type leave that header out. */
async function curl(url: string, clientId: string, apiKey: string, apiSecret: string, contentType?: string): Promise<CurlReply> {
  const args = [CURL_SCRIPT, url, clientId, apiKey, apiSecret, ...(contentType === undefined ? [] : [contentType])];
  const { stdout } = await run('bash', args);
  const [head = '', ...rest] = stdout.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}

function assertEmpty(t: { is: (a: unknown, b: unknown, m?: string) => void }, reply: CurlReply, name: string): void {
  t.is(reply.body, '', `${name}: empty body`);
  t.is(reply.headers['content-length'], '0', `${name}: Content-Length 0`);
}

test('openssl and the signer agree on the signed key', async (t) => {
  const { stdout } = await run('bash', ['-c', 'printf "%s" "$1" | openssl dgst -sha256 -hmac "$2" -binary | base64', 'sign', key, secret]);
  t.is(stdout.trim(), signedKey);
});

for (const framework of FRAMEWORKS) {
  test(`${framework}: the vendor's curl example gets 200 with an empty body from GET /valiant/api/v1/authenticate`, async (t) => {
    const reply = await curl(`${gateway(framework).url}/valiant/api/v1/authenticate`, id, key, secret);
    t.is(reply.status, 200);
    assertEmpty(t, reply, 'authenticate');
  });

  test(`${framework}: content-type parameters are tolerated`, async (t) => {
    const reply = await curl(`${gateway(framework).url}/valiant/api/v1/authenticate`, id, key, secret, 'application/vnd.api+json; charset=utf-8');
    t.is(reply.status, 200);
  });

  test(`${framework}: refusals are 401 (auth) or 400 (content type) with empty bodies, and nothing leaks`, async (t) => {
    const url = `${gateway(framework).url}/valiant/api/v1/authenticate`;
    const cases: [string, Promise<CurlReply>, number][] = [
      ['wrong key', curl(url, id, `${key}-wrong`, secret), 401],
      ['wrong secret', curl(url, id, key, `${secret}-wrong`), 401],
      ['unknown id', curl(url, '00000000-0000-4000-8000-000000000000', key, secret), 401],
      ['id that is not a uuid', curl(url, 'client-1', key, secret), 401],
      ['no X-AUTH-ID', curl(url, '', key, secret), 401],
      ['no X-AUTH-SIGNED-KEY', curl(url, id, '', secret), 401],
      ['no headers at all', curl(url, '', '', secret, ''), 401],
      ['wrong key and wrong content type (auth is checked first)', curl(url, id, `${key}-wrong`, secret, 'application/json'), 401],
      ['good auth, application/json', curl(url, id, key, secret, 'application/json'), 400],
      ['good auth, text/plain', curl(url, id, key, secret, 'text/plain'), 400],
      ['good auth, no content type', curl(url, id, key, secret, ''), 400],
    ];
    for (const [name, pending, status] of cases) {
      const reply = await pending;
      t.is(reply.status, status, name);
      assertEmpty(t, reply, name);
    }
    t.false(gateway(framework).output().includes(secret), 'no secret in the gateway output');
    t.false(gateway(framework).output().includes(signedKey), 'no signed key in the gateway output');
  });

  test(`${framework}: other paths under /valiant get the echo with the parsed JSON:API body`, async (t) => {
    const body = '{"data": {"type": "loans", "attributes": {"amount": 5000}}}';
    const reply = await send(`${gateway(framework).url}/valiant/api/v1/loans?page=2`, {
      method: 'POST',
      headers: { ...signValiant({ id, key, secret }), 'Content-Type': 'application/vnd.api+json; charset=utf-8' },
      body,
    });
    t.is(reply.status, 200, reply.body);
    t.deepEqual(reply.json(), {
      scheme: 'valiant',
      principal: id,
      method: 'POST',
      path: '/valiant/api/v1/loans?page=2',
      body: JSON.parse(body),
    });
  });

  test(`${framework}: a bad request announcing a 1 MiB body is answered before a single body byte is sent`, async (t) => {
    const { hostname, port } = new URL(gateway(framework).url);
    const headers = { ...signValiant({ id, key, secret }), 'X-AUTH-SIGNED-KEY': signValiant({ id, key, secret: 'wrong' })['X-AUTH-SIGNED-KEY']! };
    const head = [
      'POST /valiant/api/v1/loans HTTP/1.1',
      `Host: ${hostname}:${port}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      `Content-Length: ${1024 * 1024}`,
      '',
      '',
    ].join('\r\n');
    // The client sends the headers and then waits: a server that buffered the body first would never answer.
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname);
      let received = '';
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('no answer within 5 s: the gateway waited for the body'));
      }, 5000);
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1');
        if (received.includes('\r\n\r\n')) {
          clearTimeout(timer);
          socket.destroy();
          resolve(received);
        }
      });
      socket.on('error', reject);
      socket.write(head);
    });
    t.regex(answer, /^HTTP\/1\.1 401 /);
    t.regex(answer, /\r\ncontent-length: 0\r\n/i);
    // And the gateway keeps serving.
    t.is((await curl(`${gateway(framework).url}/valiant/api/v1/authenticate`, id, key, secret)).status, 200);
  });

  test(`${framework}: a bad request with a whole 1 MiB body is refused, and a body over the limit with good auth is 413`, async (t) => {
    const url = `${gateway(framework).url}/valiant/api/v1/loans`;
    const mib = Buffer.alloc(1024 * 1024, 0x61);
    const bad = await send(url, { method: 'POST', headers: { ...signValiant({ id, key, secret: 'wrong' }) }, body: mib });
    t.is(bad.status, 401);
    t.is(bad.body, '');
    const big = await send(url, { method: 'POST', headers: signValiant({ id, key, secret }), body: Buffer.alloc(1024 * 1024 + 1, 0x61) });
    t.is(big.status, 413);
    t.is(big.body, '');
    t.is((await curl(`${gateway(framework).url}/valiant/api/v1/authenticate`, id, key, secret)).status, 200);
  });
}
