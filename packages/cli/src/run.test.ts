import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import test from 'ava';
import { signInqud } from '@keygate/inqud';
import { signKiiex } from '@keygate/kiiex';
import { signValiant } from '@keygate/valiant';
import { run } from './run.js';

const SECRET = 'cli-test-secret-0123456789';

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function keygate(argv: readonly string[], options: { env?: Record<string, string>; stdin?: string; tty?: boolean } = {}): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const stdin = Object.assign(Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]), { isTTY: options.tty ?? false });
  const code = await run(argv, {
    env: options.env ?? { KEYGATE_SECRET: SECRET },
    stdin,
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
  });
  return { code, stdout, stderr };
}

function headerLines(text: string): Record<string, string> {
  return Object.fromEntries(text.trim().split('\n').map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)]));
}

test('keygate --help names the command, every scheme and where the secret comes from', async (t) => {
  const { code, stdout } = await keygate(['--help']);
  t.is(code, 0);
  for (const text of ['keygate sign <scheme>', '--curl URL', 'inqud', 'valiant', 'lenme', 'kiiex', 'KEYGATE_SECRET', '--secret-stdin', 'never printed']) {
    t.true(stdout.includes(text), text);
  }
});

test('keygate with no arguments prints the help on stderr and exits 2', async (t) => {
  const { code, stdout, stderr } = await keygate([]);
  t.is(code, 2);
  t.is(stdout, '');
  t.true(stderr.includes('Usage'));
});

test('each scheme\'s help lists its required options and the shared ones', async (t) => {
  const expected = { inqud: ['--token-id', '--salt', '--data'], valiant: ['--id', '--key', '--data'], lenme: ['--api-key', '--data'], kiiex: ['--api-key', '--user-id', '--nonce'] };
  for (const [scheme, options] of Object.entries(expected)) {
    const { code, stdout } = await keygate(['sign', scheme, '--help']);
    t.is(code, 0);
    for (const option of [...options, '--curl', '--json', '--secret-stdin']) t.true(stdout.includes(option), `${scheme} ${option}`);
  }
  t.false((await keygate(['sign', 'kiiex', '--help'])).stdout.includes('--data'), 'kiiex sends no body');
  t.regex((await keygate(['sign', 'inqud', '--help'])).stdout, /simple mode is not offered/);
  t.is((await keygate(['sign', '--help'])).code, 0);
});

test('inqud: the headers are the signer\'s, over the exact body and salt', async (t) => {
  const body = '{"amount": 50}';
  const { code, stdout } = await keygate(['sign', 'inqud', '--token-id', 'TKN-1', '--salt', 'abc', '-d', body]);
  t.is(code, 0);
  t.deepEqual(headerLines(stdout), { ...signInqud({ tokenId: 'TKN-1', secret: SECRET, body, salt: 'abc' }), 'Content-Type': 'application/json' });
});

test('inqud: --data-file signs the file\'s bytes and curl sends that file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'keygate-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'body.json');
  const bytes = Buffer.from('{"a": "é"}\r\n\n');
  writeFileSync(file, bytes);
  const headers = await keygate(['sign', 'inqud', '--token-id', 'TKN-1', '--salt', 's', '--data-file', file, '--json']);
  t.deepEqual(JSON.parse(headers.stdout), { ...signInqud({ tokenId: 'TKN-1', secret: SECRET, body: bytes, salt: 's' }), 'Content-Type': 'application/json' });
  const curl = await keygate(['sign', 'inqud', '--token-id', 'TKN-1', '--data-file', file, '--content-type', 'text/plain', '--curl', 'http://127.0.0.1:1/x']);
  t.true(curl.stdout.includes(`--data-binary @'${file}'`));
  t.true(curl.stdout.includes(`-H 'Content-Type: text/plain'`));
  t.true(curl.stdout.startsWith(`curl -sS -X POST 'http://127.0.0.1:1/x'`));
});

test('valiant: the three headers, JSON:API content type included', async (t) => {
  const { stdout } = await keygate(['sign', 'valiant', '--id', 'u-1', '--key', 'the-key', '--json']);
  t.deepEqual(JSON.parse(stdout), signValiant({ id: 'u-1', key: 'the-key', secret: SECRET }));
});

test('lenme: a current timestamp and the HMAC over "<timestamp>:<secret>"', async (t) => {
  const before = Math.floor(Date.now() / 1000);
  const headers = headerLines((await keygate(['sign', 'lenme', '--api-key', 'K'])).stdout);
  const timestamp = Number(headers['X-Timestamp']);
  t.true(timestamp >= before && timestamp <= Math.floor(Date.now() / 1000));
  t.is(headers['X-HMAC'], createHmac('sha256', SECRET).update(`${timestamp}:${SECRET}`).digest('hex'));
  t.is(headers['X-API-KEY'], 'K');
});

test('kiiex: the AuthenticateUser fields, and with --curl a POST carrying them as headers', async (t) => {
  const { stdout } = await keygate(['sign', 'kiiex', '--api-key', 'AK', '--user-id', '42', '--nonce', 'n1', '--json']);
  t.deepEqual(JSON.parse(stdout), { ...signKiiex({ apiKey: 'AK', secret: SECRET, userId: 42, nonce: 'n1' }) });
  const curl = await keygate(['sign', 'kiiex', '--api-key', 'AK', '--user-id', '42', '--curl', 'https://example.test/ap/AuthenticateUser']);
  t.regex(curl.stdout, /^curl -sS -X POST 'https:\/\/example\.test\/ap\/AuthenticateUser'/);
  for (const field of ['APIKey: AK', 'UserId: 42', 'Signature: ', 'Nonce: ']) t.true(curl.stdout.includes(`-H '${field}`), field);
  t.false(curl.stdout.includes('--data'));
});

test('the method defaults to POST with a body and GET without, and --method overrides it', async (t) => {
  const url = ['--curl', 'http://127.0.0.1:1/'];
  t.regex((await keygate(['sign', 'lenme', '--api-key', 'K', ...url])).stdout, /^curl -sS -X GET /);
  t.regex((await keygate(['sign', 'lenme', '--api-key', 'K', '-d', '{}', ...url])).stdout, /^curl -sS -X POST /);
  t.regex((await keygate(['sign', 'lenme', '--api-key', 'K', '-d', '{}', '-X', 'put', ...url])).stdout, /^curl -sS -X PUT /);
  t.is((await keygate(['sign', 'lenme', '--api-key', 'K', '-X', 'GET /x', ...url])).code, 2);
});

test('the secret comes from standard input with --secret-stdin, one trailing line break removed', async (t) => {
  const fromEnv = await keygate(['sign', 'valiant', '--id', 'u', '--key', 'k', '--json']);
  const fromStdin = await keygate(['sign', 'valiant', '--id', 'u', '--key', 'k', '--json', '--secret-stdin'], { env: {}, stdin: `${SECRET}\n` });
  t.is(fromStdin.code, 0, fromStdin.stderr);
  t.is(fromStdin.stdout, fromEnv.stdout);
  const crlf = await keygate(['sign', 'valiant', '--id', 'u', '--key', 'k', '--json', '--secret-stdin'], { env: {}, stdin: `${SECRET}\r\n` });
  t.is(crlf.stdout, fromEnv.stdout);
});

test('without a secret, or with a terminal on --secret-stdin, it explains and exits 2', async (t) => {
  const none = await keygate(['sign', 'lenme', '--api-key', 'K'], { env: {} });
  t.is(none.code, 2);
  t.regex(none.stderr, /no secret: set KEYGATE_SECRET/);
  const empty = await keygate(['sign', 'lenme', '--api-key', 'K', '--secret-stdin'], { env: {}, stdin: '\n' });
  t.is(empty.code, 2);
  const tty = await keygate(['sign', 'lenme', '--api-key', 'K', '--secret-stdin'], { env: {}, tty: true });
  t.is(tty.code, 2);
  t.regex(tty.stderr, /not the terminal/);
});

test('white space around the secret is kept, with a note', async (t) => {
  const { stderr, stdout } = await keygate(['sign', 'valiant', '--id', 'u', '--key', 'k', '--json'], { env: { KEYGATE_SECRET: ` ${SECRET}` } });
  t.regex(stderr, /white space/);
  t.deepEqual(JSON.parse(stdout), signValiant({ id: 'u', key: 'k', secret: ` ${SECRET}` }));
});

test('the secret is never printed, whatever the outcome', async (t) => {
  const runs: [string[], { env?: Record<string, string>; stdin?: string }?][] = [
    [['sign', 'inqud', '--token-id', 'TKN-1', '-d', '{}', '--curl', 'http://127.0.0.1:1/']],
    [['sign', 'valiant', '--id', 'u', '--key', 'k']],
    [['sign', 'lenme', '--api-key', 'K', '--json']],
    [['sign', 'kiiex', '--api-key', 'AK', '--user-id', '7', '--curl', 'http://127.0.0.1:1/']],
    [['sign', 'lenme', '--api-key', 'K', '--secret-stdin'], { env: {}, stdin: SECRET }],
    [['sign', 'lenme', '--api-key', 'K', `--secret=${SECRET}`], { env: {} }],
    [['sign', 'lenme', '--api-key', 'K', '--secret', SECRET], { env: {} }],
    [['sign', 'lenme', '--api-key', 'K', SECRET]],
    [['sign', SECRET]],
    [[SECRET]],
    [['sign', 'lenme', '--api-key', 'K', '--curl', SECRET]],
  ];
  for (const [argv, options] of runs) {
    const { stdout, stderr } = await keygate(argv, options);
    t.false(`${stdout}${stderr}`.includes(SECRET), argv.join(' '));
  }
});

test('a secret on the command line is refused with the reason', async (t) => {
  for (const argv of [['sign', 'lenme', '--api-key', 'K', '--secret', 'x'], ['sign', 'lenme', '--secret=x']]) {
    const { code, stderr } = await keygate(argv, { env: {} });
    t.is(code, 2);
    t.regex(stderr, /never taken from the command line/);
  }
});

test('usage mistakes exit 2 with a message', async (t) => {
  const cases: [string[], RegExp][] = [
    [['frobnicate'], /unknown command/],
    [['sign', 'stripe'], /unknown scheme: use one of inqud, valiant, lenme, kiiex/],
    [['sign'], /Usage: keygate sign <scheme>/],
    [['sign', 'inqud'], /inqud needs --token-id/],
    [['sign', 'kiiex', '--api-key', 'AK'], /kiiex needs --user-id/],
    [['sign', 'kiiex', '--api-key', 'AK', '--user-id', '1', '-d', '{}'], /Unknown option '-d'/],
    [['sign', 'lenme', '--api-key', 'K', '--curl', 'ftp://x/'], /--curl needs an absolute http/],
    [['sign', 'lenme', '--api-key', 'K', '--curl', 'http://x/', '--json'], /pick one/],
    [['sign', 'lenme', '--api-key', 'K', '-d', '{}', '--data-file', 'x'], /give one body/],
    [['sign', 'lenme', '--api-key', 'K', '--data-file', '/nonexistent/keygate'], /--data-file cannot be read \(ENOENT\)/],
    [['sign', 'lenme', '--api-key'], /argument missing/],
  ];
  for (const [argv, message] of cases) {
    const { code, stdout, stderr } = await keygate(argv);
    t.is(code, 2, argv.join(' '));
    t.is(stdout, '', argv.join(' '));
    t.regex(stderr, message, argv.join(' '));
  }
});

test('keygate --version prints the package version', async (t) => {
  t.regex((await keygate(['--version'])).stdout, /^\d+\.\d+\.\d+\n$/);
});
