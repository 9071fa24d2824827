// Lenme's own examples (Python with requests, Java 17 as a single-file program with java.net.http, Node with fetch)
// against every running demo gateway, plus the refusals with the vendor's exact {"detail"} bodies.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import test from 'ava';
import { PYTHON } from './helpers/tools.js';
import { signLenme } from '@keygate/lenme';
import { demo } from './helpers/demo-credentials.js';
import { FRAMEWORKS, useGateways } from './helpers/gateways.js';
import { send, type Reply } from './helpers/http.js';

const run = promisify(execFile);
const interop = (file: string): string => new URL(`./interop/${file}`, import.meta.url).pathname;
const { apiKey, secret } = demo.lenme[0]!;

const gateway = useGateways();

const NOT_PROVIDED = { detail: 'Authentication credentials were not provided.' };
const INVALID_HMAC = { detail: 'Invalid HMAC' };
const INVALID_API_KEY = { detail: 'Invalid API Key' };
const OUT_OF_RANGE = { detail: 'Timestamp out of range' };

/** Headers signed at now + offsetSeconds, as a client whose clock is that far off would send them. */
function signedAt(offsetSeconds: number, as = secret, key = apiKey): Record<string, string> {
  return signLenme({ apiKey: key, secret: as, now: () => Date.now() + offsetSeconds * 1000 });
}

function assertVendorReply(t: { is: (a: unknown, b: unknown, m?: string) => void; deepEqual: (a: unknown, b: unknown, m?: string) => void; false: (v: boolean, m?: string) => void }, reply: Reply, status: number, body: unknown, name: string): void {
  t.is(reply.status, status, `${name}: status`);
  t.is(String(reply.headers['content-type']).split(';')[0], 'application/json', `${name}: JSON`);
  t.deepEqual(reply.json(), body, `${name}: body`);
  t.false(reply.body.includes(secret), `${name}: no secret`);
}

function assertEcho(t: { is: (a: unknown, b: unknown, m?: string) => void; deepEqual: (a: unknown, b: unknown, m?: string) => void }, status: number, text: string, path: string, body: unknown, method = 'POST'): void {
  t.is(status, 200, text);
  t.deepEqual(JSON.parse(text), { scheme: 'lenme', principal: apiKey, method, path, body });
}

for (const framework of FRAMEWORKS) {
  test(`${framework}: the vendor's Python example (requests) is accepted, may reuse its HMAC, and is refused with a wrong secret or key`, async (t) => {
    const url = `${gateway(framework).url}/lenme/v1/loans/fund`;
    const { stdout } = await run(PYTHON, [interop('lenme_client.py'), url, apiKey, secret]);
    const results = JSON.parse(stdout) as Record<string, [number, string]>;
    const note = 'caf\u00e9';
    assertEcho(t, ...results['post']!, '/lenme/v1/loans/fund', { loan_id: 42, amount: 50.5, note });
    assertEcho(t, ...results['post_again']!, '/lenme/v1/loans/fund', { loan_id: 42, amount: 50.5, note });
    assertEcho(t, ...results['get']!, '/lenme/v1/loans/fund', null, 'GET');
    t.is(results['wrong_secret']![0], 401);
    t.deepEqual(JSON.parse(results['wrong_secret']![1]), INVALID_HMAC);
    t.is(results['unknown_key']![0], 401);
    t.deepEqual(JSON.parse(results['unknown_key']![1]), INVALID_API_KEY);
  });

  test(`${framework}: the vendor's Java 17 example (single-file launch, %064x, java.net.http) is accepted`, async (t) => {
    const url = `${gateway(framework).url}/lenme/v1/loans/fund`;
    const { stdout } = await run('java', [interop('LenmeClient.java'), url, apiKey, secret], { timeout: 45_000 });
    const [status = '', ...body] = stdout.trimEnd().split('\n');
    assertEcho(t, Number(status), body.join('\n'), '/lenme/v1/loans/fund', { loan_id: 42, amount: 50.5 });
  });

  test(`${framework}: the vendor's Node example (crypto.createHmac) sent with fetch is accepted`, async (t) => {
    const url = `${gateway(framework).url}/lenme/v1/loans/fund?dry_run=1`;
    const { stdout } = await run(process.execPath, [interop('lenme_client.cjs'), url, apiKey, secret]);
    const { status, body } = JSON.parse(stdout) as { status: number; body: string };
    assertEcho(t, status, body, '/lenme/v1/loans/fund?dry_run=1', { loan_id: 42, amount: 50.5 });
  });

  test(`${framework}: refusals answer 401 with the vendor's exact {"detail"} texts`, async (t) => {
    const url = `${gateway(framework).url}/lenme/v1/loans`;
    const good = signedAt(0);
    const cases: [string, Record<string, string>, unknown][] = [
      ['stale timestamp (-400 s)', signedAt(-400), OUT_OF_RANGE],
      ['future timestamp (+400 s)', signedAt(400), OUT_OF_RANGE],
      ['timestamp in milliseconds', { ...good, 'X-Timestamp': String(Date.now()) }, OUT_OF_RANGE],
      ['wrong HMAC', { ...good, 'X-HMAC': signedAt(0, `${secret}-wrong`)['X-HMAC']! }, INVALID_HMAC],
      ['HMAC of another timestamp', { ...signedAt(-10), 'X-Timestamp': good['X-Timestamp']! }, INVALID_HMAC],
      ['unknown key', { ...good, 'X-API-KEY': 'nobody' }, INVALID_API_KEY],
      ['no headers', {}, NOT_PROVIDED],
      ['no X-HMAC', { 'X-API-KEY': apiKey, 'X-Timestamp': good['X-Timestamp']! }, NOT_PROVIDED],
      ['no X-Timestamp', { 'X-API-KEY': apiKey, 'X-HMAC': good['X-HMAC']! }, NOT_PROVIDED],
      ['no X-API-KEY', { 'X-Timestamp': good['X-Timestamp']!, 'X-HMAC': good['X-HMAC']! }, NOT_PROVIDED],
      ['decimal timestamp', { ...good, 'X-Timestamp': `${good['X-Timestamp']!}.0` }, NOT_PROVIDED],
      ['signed timestamp', { ...good, 'X-Timestamp': `+${good['X-Timestamp']!}` }, NOT_PROVIDED],
      ['X-HMAC that is not hex', { ...good, 'X-HMAC': 'not-a-signature' }, NOT_PROVIDED],
    ];
    for (const [name, headers, body] of cases) {
      const reply = await send(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{"loan_id": 42}' });
      assertVendorReply(t, reply, 401, body, name);
    }
    t.false(gateway(framework).output().includes(secret), 'no secret in the gateway output');
  });

  test(`${framework}: a body that is not JSON is 400 {"detail"}; an empty one is fine`, async (t) => {
    const url = `${gateway(framework).url}/lenme/v1/loans`;
    for (const body of ['loan_id=42', '{"loan_id": ', '\u00ff\u00fe']) {
      const reply = await send(url, { method: 'POST', headers: { ...signedAt(0), 'content-type': 'application/json' }, body });
      t.is(reply.status, 400, body);
      t.regex(String(reply.json()['detail']), /^JSON parse error - /);
    }
    const empty = await send(url, { method: 'POST', headers: signedAt(0) });
    assertEcho(t, empty.status, empty.body, '/lenme/v1/loans', null);
  });

  test(`${framework}: a body over 1 MiB is 413 {"detail"} and the gateway keeps serving`, async (t) => {
    const url = `${gateway(framework).url}/lenme/v1/loans`;
    const big = `{"pad": "${'a'.repeat(1024 * 1024)}"}`;
    const reply = await send(url, { method: 'POST', headers: { ...signedAt(0), 'content-type': 'application/json' }, body: big });
    t.is(reply.status, 413);
    t.is(typeof reply.json()['detail'], 'string');
    const next = await send(url, { method: 'POST', headers: { ...signedAt(0), 'content-type': 'application/json' }, body: '{}' });
    assertEcho(t, next.status, next.body, '/lenme/v1/loans', {});
  });
}
