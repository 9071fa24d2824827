// Credentials reload without restart, on both demo gateways over real HTTP: under a steady load of signed requests
// with the keys kept, a reload (by SIGHUP, or by the file changing) that adds keys and removes others fails no kept
// request; right after it the added keys verify and the removed ones are refused (a removed Kiiex key's sessions
// too); a bad file keeps the set in use and logs one line saying why, without a secret.
import { mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import type { Credentials } from '@keygate/gateway-config';
import { signInqud } from '@keygate/inqud';
import { signKiiex } from '@keygate/kiiex';
import { signLenme } from '@keygate/lenme';
import { signValiant } from '@keygate/valiant';
import { demo } from './helpers/demo-credentials.js';
import { FRAMEWORKS, startGatewayProcess, type Framework, type GatewayProcess } from './helpers/gateways.js';
import { send, type Reply } from './helpers/http.js';
import { TEST_SESSION_KEY } from './helpers/scheme-clients.js';

const removed = {
  inqud: { tokenId: 'TKN-0a0a0a0a-0000-4000-8000-000000000001', secret: 'removed-inqud-secret-0123456789abcdef' },
  kiiex: { apiKey: 'removed-kiiex-key', secret: 'removed-kiiex-secret-0123456789abcdef', userId: 77 },
};
const added = {
  inqud: { tokenId: 'TKN-0b0b0b0b-0000-4000-8000-000000000002', secret: 'added-inqud-secret-0123456789abcdef' },
  lenme: { apiKey: 'added-lenme-key', secret: 'added-lenme-secret-0123456789abcdef' },
};
const before: Credentials = { ...demo, inqud: [...demo.inqud, removed.inqud], kiiex: [...demo.kiiex, removed.kiiex] };
const after: Credentials = { ...demo, inqud: [...demo.inqud, added.inqud], lenme: [...demo.lenme, added.lenme] };
const secrets = [removed.inqud, removed.kiiex, added.inqud, added.lenme, ...demo.inqud, ...demo.valiant, ...demo.kiiex, ...demo.lenme].map((c) => c.secret);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function inqud(gateway: GatewayProcess, { tokenId, secret }: { tokenId: string; secret: string }): Promise<Reply> {
  const body = '{"amount": 1}';
  return send(`${gateway.url}/inqud/v1/pay`, { method: 'POST', headers: { ...signInqud({ tokenId, secret, body }), 'content-type': 'application/json' }, body });
}

function lenme(gateway: GatewayProcess, { apiKey, secret }: { apiKey: string; secret: string }): Promise<Reply> {
  return send(`${gateway.url}/lenme/v1/loans`, { headers: signLenme({ apiKey, secret }) });
}

async function login(gateway: GatewayProcess, { apiKey, secret, userId }: { apiKey: string; secret: string; userId: number }): Promise<Reply> {
  return send(`${gateway.url}/kiiex/AuthenticateUser`, { method: 'POST', headers: { ...signKiiex({ apiKey, secret, userId }) } });
}

async function session(gateway: GatewayProcess, credential: { apiKey: string; secret: string; userId: number }): Promise<string> {
  const token = (await login(gateway, credential)).json()['sessionToken'];
  if (typeof token !== 'string') throw new Error('AuthenticateUser gave no token');
  return token;
}

/** Requests with every kept key, one scheme after another, until stopped; each non-200 is a failure. */
function steadyLoad(gateway: GatewayProcess, kiiexToken: string, workers = 4) {
  const v = demo.valiant[0]!;
  const kept: (() => Promise<Reply>)[] = [
    () => inqud(gateway, demo.inqud[0]!),
    () => lenme(gateway, demo.lenme[0]!),
    () => send(`${gateway.url}/valiant/api/v1/loans`, { headers: signValiant({ id: v.id, key: v.key, secret: v.secret }) }),
    () => send(`${gateway.url}/kiiex/GetAccountInfo`, { method: 'POST', headers: { aptoken: kiiexToken } }),
  ];
  let running = true;
  let sent = 0;
  const failures: string[] = [];
  const loops = Array.from({ length: workers }, async (_, worker) => {
    for (let i = worker; running; i++) {
      const reply = await kept[i % kept.length]!().catch((error: Error) => error);
      sent++;
      if (reply instanceof Error) failures.push(reply.message);
      else if (reply.status !== 200) failures.push(`${reply.status} ${reply.body.slice(0, 120)}`);
    }
  });
  return {
    sent: () => sent,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return { sent, failures };
    },
  };
}

interface CredentialsFile {
  /** What KEYGATE_CREDENTIALS names. */
  readonly path: string;
  write(credentials: Credentials | string): void;
  remove(): void;
}

/**
 * The credentials file. `watched`: a plain file, replaced by rename as deploy tools do, which the gateway sees
 * change. Otherwise KEYGATE_CREDENTIALS is a symlink to a file in another directory, rewritten there: the gateway's
 * watch on its own directory sees nothing, so only SIGHUP can bring the change in.
 */
function credentialsFile(watched: boolean): CredentialsFile {
  const dir = mkdtempSync(join(tmpdir(), 'keygate-reload-'));
  const path = join(dir, 'credentials.json');
  const elsewhere = watched ? undefined : mkdtempSync(join(tmpdir(), 'keygate-reload-target-'));
  const real = elsewhere === undefined ? path : join(elsewhere, 'credentials.json');
  let linked = watched;
  return {
    path,
    write(credentials) {
      const text = typeof credentials === 'string' ? credentials : JSON.stringify(credentials);
      if (watched) {
        writeFileSync(`${real}.tmp`, text);
        renameSync(`${real}.tmp`, real);
      } else writeFileSync(real, text);
      if (!linked) {
        symlinkSync(real, path);
        linked = true;
      }
    },
    remove() {
      for (const d of [dir, elsewhere]) if (d !== undefined) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** Waits for the gateway to log a line matching `pattern` after the first `skip` characters of its output. */
async function logged(gateway: GatewayProcess, pattern: RegExp, skip: number): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const line = gateway.output().slice(skip).split('\n').find((l) => pattern.test(l));
    if (line !== undefined) return line;
    await sleep(25);
  }
  throw new Error(`no log line matching ${pattern} within 10 s:\n${gateway.output().slice(skip)}`);
}

async function reloadUnderLoad(t: ExecutionContext, framework: Framework, trigger: 'SIGHUP' | 'file change'): Promise<void> {
  const file = credentialsFile(trigger === 'file change');
  file.write(before);
  const gateway = await startGatewayProcess(framework, { KEYGATE_CREDENTIALS: file.path, KEYGATE_SESSION_KEY: TEST_SESSION_KEY });
  let load: ReturnType<typeof steadyLoad> | undefined;
  try {
    t.is((await inqud(gateway, removed.inqud)).status, 200, 'the key to be removed verifies before the reload');
    t.is((await inqud(gateway, added.inqud)).status, 401, 'the key to be added does not, yet');
    const retiringSession = await session(gateway, removed.kiiex);
    load = steadyLoad(gateway, await session(gateway, demo.kiiex[0]!));
    while (load.sent() < 40) await sleep(10);

    const mark = gateway.output().length;
    const sentBefore = load.sent();
    const started = performance.now();
    file.write(after);
    if (trigger === 'SIGHUP') gateway.child.kill('SIGHUP');
    // The first request after the trigger that verifies with the added key: how long the switch took, for the log.
    let addedStatus = 0;
    while (addedStatus !== 200 && performance.now() - started < 10_000) addedStatus = (await inqud(gateway, added.inqud)).status;
    const switchMs = performance.now() - started;
    t.is(addedStatus, 200, 'the added Inqud key verifies');
    // Straight after that, with no wait: the rest of the new set is in force too.
    t.is((await lenme(gateway, added.lenme)).status, 200, 'the added Lenme key verifies');
    const refused = await inqud(gateway, removed.inqud);
    t.is(refused.status, 401, 'the removed Inqud key is refused');
    t.is(refused.json()['code'], 'unknown_key');
    t.is((await send(`${gateway.url}/kiiex/GetAccountInfo`, { method: 'POST', headers: { aptoken: retiringSession } })).status, 401, "the removed Kiiex key's session ends");
    t.is((await login(gateway, removed.kiiex)).json()['authenticated'], false, 'and it cannot log in again');
    const line = JSON.parse(await logged(gateway, /credentials reloaded/, mark)) as Record<string, unknown>;
    t.is(line['trigger'], trigger);
    t.regex(String(line['msg']), /inqud 2, valiant 1, kiiex 1, lenme 2 keys$/);
    while (load.sent() < sentBefore + 80) await sleep(10);

    const { sent, failures } = await load.stop();
    t.deepEqual(failures, [], `${sent} requests with the kept keys, none failed`);
    t.true(sent - sentBefore >= 80, 'the load ran on across the reload');
    t.log(`${framework} ${trigger}: the added key verified ${switchMs.toFixed(0)} ms after the trigger; ${sent} kept-key requests, 0 failed`);

    // A file that fails validation: the set in use stays, and one line says why.
    const markBad = gateway.output().length;
    file.write({ ...after, lenme: [{ apiKey: 'x', secret: '' }] } as Credentials);
    if (trigger === 'SIGHUP') gateway.child.kill('SIGHUP');
    const failed = await logged(gateway, /credentials reload failed/, markBad);
    t.regex(failed, /keeping the current set: KEYGATE_CREDENTIALS: lenme\[0\]\.secret must be a non-empty string/);
    t.is((await lenme(gateway, added.lenme)).status, 200, 'the set in use stays');
    t.is(gateway.output().slice(markBad).split('\n').filter((l) => l.includes('credentials reload')).length, 1, 'one line');
    for (const secret of secrets) t.false(gateway.output().includes(secret), 'no secret in the log');
  } finally {
    await load?.stop();
    await gateway.stop();
    file.remove();
  }
}

for (const framework of FRAMEWORKS) {
  test(`${framework}: SIGHUP reloads the credentials under load: kept keys never fail, added keys verify, removed keys are refused`, (t) =>
    reloadUnderLoad(t, framework, 'SIGHUP'));
  test(`${framework}: a changed credentials file is reloaded under load without a signal, with the same guarantees`, (t) =>
    reloadUnderLoad(t, framework, 'file change'));
}
