// `keygate sign <scheme> --curl URL`, as a user runs it, against a running demo gateway: the printed command, run by a
// shell as printed, gets 200 for every scheme; running it again is refused where the scheme is single-use; and
// nothing printed holds the secret.
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import test from 'ava';
import { demo } from './helpers/demo-credentials.js';
import { startGatewayProcess, type GatewayProcess } from './helpers/gateways.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = fileURLToPath(new URL('../packages/cli/src/main.ts', import.meta.url));
const execFileAsync = promisify(execFile);

interface Printed {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI from source; the secret goes in through the environment or, with `stdin`, through a pipe. */
function keygate(args: readonly string[], secret: string, via: 'env' | 'stdin' = 'env'): Promise<Printed> {
  const env = { ...process.env, KEYGATE_SECRET: via === 'env' ? secret : '' };
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args, ...(via === 'stdin' ? ['--secret-stdin'] : [])], { cwd: ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(via === 'stdin' ? `${secret}\n` : '');
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** Runs a printed curl command in a shell, unchanged but for an appended `-w` that writes the status last. */
async function runPrinted(command: string): Promise<{ status: number; body: string }> {
  const { stdout } = await execFileAsync('sh', ['-c', `${command.trimEnd()} -w '\\n%{http_code}'`]);
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}

let gateway: GatewayProcess | undefined;
test.before(async () => {
  gateway = await startGatewayProcess('express');
});
test.after.always(async () => {
  await gateway?.stop();
});
const url = (path: string): string => `${gateway!.url}${path}`;

async function printCurl(t: { is: (a: unknown, b: unknown, m?: string) => void; false: (v: boolean, m?: string) => void }, args: readonly string[], secret: string, via: 'env' | 'stdin' = 'env'): Promise<string> {
  const printed = await keygate(args, secret, via);
  t.is(printed.code, 0, printed.stderr);
  t.false(`${printed.stdout}${printed.stderr}`.includes(secret), 'the secret was printed');
  return printed.stdout;
}

test('inqud: the printed curl command gets the echo once, and its salt is refused the second time', async (t) => {
  const { tokenId, secret } = demo.inqud[0]!;
  const command = await printCurl(t, ['sign', 'inqud', '--token-id', tokenId, '-d', '{"amount": 50}', '--curl', url('/inqud/v1/payout')], secret);
  const first = await runPrinted(command);
  t.is(first.status, 200, first.body);
  t.deepEqual(JSON.parse(first.body), { scheme: 'inqud', principal: tokenId, method: 'POST', path: '/inqud/v1/payout', body: { amount: 50 } });
  const again = await runPrinted(command);
  t.is(again.status, 401);
  t.is(JSON.parse(again.body).code, 'replayed');
});

test('valiant: the printed curl command authenticates (200, empty body)', async (t) => {
  const { id, key, secret } = demo.valiant[0]!;
  const command = await printCurl(t, ['sign', 'valiant', '--id', id, '--key', key, '--curl', url('/valiant/api/v1/authenticate')], secret);
  t.deepEqual(await runPrinted(command), { status: 200, body: '' });
});

test('lenme: the printed curl command, secret piped in, gets the echo', async (t) => {
  const { apiKey, secret } = demo.lenme[0]!;
  const command = await printCurl(t, ['sign', 'lenme', '--api-key', apiKey, '-d', '{"loan_id": 7}', '--curl', url('/lenme/v1/loans/fund')], secret, 'stdin');
  const reply = await runPrinted(command);
  t.is(reply.status, 200, reply.body);
  t.deepEqual(JSON.parse(reply.body), { scheme: 'lenme', principal: apiKey, method: 'POST', path: '/lenme/v1/loans/fund', body: { loan_id: 7 } });
});

test('kiiex: the printed AuthenticateUser request gets a session token once; its nonce is refused the second time', async (t) => {
  const { apiKey, secret, userId } = demo.kiiex[0]!;
  const command = await printCurl(t, ['sign', 'kiiex', '--api-key', apiKey, '--user-id', String(userId), '--curl', url('/kiiex/AuthenticateUser')], secret);
  const first = await runPrinted(command);
  t.is(first.status, 200);
  const answer = JSON.parse(first.body) as { authenticated: boolean; sessionToken?: string; user?: { userId: number } };
  t.true(answer.authenticated, first.body);
  t.is(typeof answer.sessionToken, 'string');
  t.is(answer.user?.userId, userId);
  const again = JSON.parse((await runPrinted(command)).body) as { authenticated: boolean; sessionToken?: string };
  t.false(again.authenticated);
  t.is(again.sessionToken, undefined);
});

test('a wrong secret signs a request the gateway refuses with the vendor\'s answer', async (t) => {
  const { apiKey } = demo.lenme[0]!;
  const command = await printCurl(t, ['sign', 'lenme', '--api-key', apiKey, '--curl', url('/lenme/v1/ping')], 'not-the-secret');
  t.deepEqual(await runPrinted(command), { status: 401, body: '{"detail":"Invalid HMAC"}' });
});
