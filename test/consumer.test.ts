// The packages as a user gets them from a registry. Every publishable package is packed with `pnpm pack` (as a
// release packs it) and the tarballs are installed with plain npm into fresh projects outside the workspace, their
// other dependencies coming from the npm registry. Then: an ESM Express app and a CommonJS (`require`) Koa app each
// send correctly and badly signed requests to themselves, and a TypeScript project type-checks with `module:
// nodenext` and with `moduleResolution: bundler`, with TypeScript 5.9 from npm and the workspace's TypeScript 7, then
// is compiled and does the same, through Express and through the Fastify, Fetch and Hono adapters.
import { execFile, type ExecFileOptions } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import { signValiant } from '@keygate/valiant';
import { packAll, ROOT, type PackedPackage } from '../scripts/workspace-packages.js';
import { withBuildLock } from './helpers/build-lock.js';
import { startRedisServer, type RedisServer } from './helpers/redis-server.js';

const FIXTURES = fileURLToPath(new URL('./consumer/', import.meta.url));
const credentials = JSON.parse(readFileSync(join(FIXTURES, 'shared/credentials.json'), 'utf8')) as {
  inqud: { tokenId: string }; valiant: { id: string; key: string; secret: string }; lenme: { apiKey: string }; kiiex: { apiKey: string };
};
const MINUTES = 60_000;

// The ranges the packages' peer dependencies and READMEs name.
const FRAMEWORKS = { express: '^5.1.0', koa: '^3.0.1', redis: '^6.3.1', fastify: '^5.12.8', hono: '^4.13.19' };
const TYPES = { '@types/express': '^5.0.6', '@types/koa': '^3.0.3', '@types/node': '^20.19.0', typescript: '~5.9.3' };

interface Output {
  readonly stdout: string;
  readonly stderr: string;
}

class CommandFailed extends Error {
  readonly output: Output;

  constructor(message: string, output: Output) {
    super(message);
    this.output = output;
  }
}

function run(command: string, args: readonly string[], options: ExecFileOptions = {}): Promise<Output> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      const output = { stdout: String(stdout), stderr: String(stderr) };
      if (error) reject(new CommandFailed(`${command} ${args.join(' ')} failed: ${error.message}\n${output.stdout}\n${output.stderr}`, output));
      else resolve(output);
    });
  });
}

const workDir = mkdtempSync(join(tmpdir(), 'keygate-consumer-'));
let packed: PackedPackage[] = [];
let redis: RedisServer | undefined;

test.before(async (t) => {
  t.timeout(5 * MINUTES);
  const tarballs = join(workDir, 'tarballs');
  mkdirSync(tarballs);
  packed = await withBuildLock(async () => packAll(tarballs));
  redis = await startRedisServer();
});

test.after.always(async () => {
  await redis?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

// npm as a user runs it outside the workspace: without the npm_config_* values pnpm exports to scripts from the
// workspace's .npmrc (engine-strict would refuse fastify's cookie@2 on Node 20; frozen-lockfile, ...), but still
// with the registry and certificates the machine is configured for.
const KEPT_NPM_CONFIG = new Set(['npm_config_registry', 'npm_config_cafile']);
function userNpmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_') || KEPT_NPM_CONFIG.has(name)));
}

/** A fresh npm project outside the workspace: the fixture files, every keygate tarball, and `dependencies`. */
async function project(fixture: string, type: 'module' | 'commonjs', dependencies: Record<string, string>): Promise<string> {
  const dir = join(workDir, fixture);
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  cpSync(join(FIXTURES, 'shared'), dir, { recursive: true });
  const keygate = Object.fromEntries(packed.map((pkg) => [pkg.manifest.name, `file:${pkg.tarball}`]));
  const manifest = { name: `keygate-consumer-${fixture}`, version: '1.0.0', private: true, type, dependencies: { ...keygate, ...dependencies } };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline'], { cwd: dir, env: userNpmEnv() });
  // Every @keygate package npm installed (dependencies of dependencies included) is one of the tarballs.
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string }> };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path.includes('node_modules/@keygate/') && !entry.resolved?.startsWith('file:')) {
      throw new Error(`npm installed ${path} from ${entry.resolved}, not from a packed tarball`);
    }
  }
  return dir;
}

interface Reply {
  readonly status: number;
  readonly body: string;
}

const VARYING = new Set(['sessionToken', 'message', 'errormsg']);

// Random or explanatory strings of a reply (a token, a message) become 'string', so the table below is exact.
function comparable(reply: Reply): { status: number; body: unknown } {
  let body: unknown = reply.body;
  try {
    body = JSON.parse(reply.body, (key, value: unknown) => (VARYING.has(key) && typeof value === 'string' ? 'string' : value));
  } catch {
    // not JSON: compared as text
  }
  return { status: reply.status, body };
}

/** What every consumer app must report: a correctly signed request gets 200, a badly signed one the vendor's refusal. */
const EXPECTED = {
  inqud: { status: 200, body: { scheme: 'inqud', principal: credentials.inqud.tokenId, body: { amount: 50 } } },
  'inqud replayed': { status: 401, body: { code: 'replayed', message: 'string' } },
  'inqud bad signature': { status: 401, body: { code: 'bad_signature', message: 'string' } },
  valiant: { status: 200, body: { scheme: 'valiant', principal: credentials.valiant.id, body: null } },
  'valiant bad signature': { status: 401, body: '' },
  lenme: { status: 200, body: { scheme: 'lenme', principal: credentials.lenme.apiKey, body: { loan_id: 7 } } },
  'lenme bad signature': { status: 401, body: { detail: 'Invalid HMAC' } },
  'kiiex AuthenticateUser': {
    status: 200,
    body: {
      authenticated: true, sessionToken: 'string', locked: false, requires2FA: false, errormsg: null,
      user: { userId: 42, userName: '', email: '', emailVerified: false, accountId: 0, omsId: 0, use2FA: false },
    },
  },
  'kiiex bad signature': { status: 200, body: { authenticated: false, locked: false, errormsg: 'string' } },
  'kiiex aptoken': { status: 200, body: { scheme: 'kiiex', principal: credentials.kiiex.apiKey, body: null } },
  'kiiex bad aptoken': { status: 401, body: { result: false, errormsg: 'string', errorcode: 20, detail: 'aptoken signature does not verify with this server\'s session key' } },
};

function assertReport(t: ExecutionContext, output: Output): void {
  const report = JSON.parse(output.stdout) as Record<string, Reply>;
  t.deepEqual(Object.fromEntries(Object.entries(report).map(([name, reply]) => [name, comparable(reply)])), EXPECTED, output.stderr);
}

test('an ESM Express app imports every package, and its signed requests get 200 and its badly signed ones the vendor\'s refusal', async (t) => {
  t.timeout(5 * MINUTES);
  const dir = await project('esm-express', 'module', { express: FRAMEWORKS.express });
  assertReport(t, await run(process.execPath, ['app.mjs'], { cwd: dir }));

  // The CLI's bin, installed from its tarball, prints what the signer computes.
  const bin = join(dir, 'node_modules/.bin/keygate');
  t.regex((await run(bin, ['--help'], { cwd: dir })).stdout, /keygate sign <scheme>/);
  t.is((await run(bin, ['--version'], { cwd: dir })).stdout.trim(), packed.find((p) => p.manifest.name === '@keygate/cli')!.manifest.version);
  const { id, key, secret } = credentials.valiant;
  const printed = await run(bin, ['sign', 'valiant', '--id', id, '--key', key, '--json'], { cwd: dir, env: { ...process.env, KEYGATE_SECRET: secret } });
  t.deepEqual(JSON.parse(printed.stdout), signValiant({ id, key, secret }));
});

test('a CommonJS Koa app require()s every package (require(esm)), with replay state in Redis, and gets the same answers', async (t) => {
  t.timeout(5 * MINUTES);
  const dir = await project('cjs-koa', 'commonjs', { koa: FRAMEWORKS.koa, redis: FRAMEWORKS.redis });
  assertReport(t, await run(process.execPath, ['app.cjs'], { cwd: dir, env: { ...process.env, REDIS_URL: redis!.url } }));
  const required = await run(process.execPath, ['-e', `for (const name of ${JSON.stringify(packed.filter((p) => p.manifest.exports !== undefined).map((p) => p.manifest.name))}) console.log(name, Object.keys(require(name)).length)`], { cwd: dir });
  for (const pkg of packed.filter((p) => p.manifest.exports !== undefined)) t.regex(required.stdout, new RegExp(`^${pkg.manifest.name} [1-9]`, 'm'));
});

/**
 * Type-checks with the declaration files checked too (`--skipLibCheck false`), so an error in keygate's published
 * declarations (an import of a module a user does not have, say) fails instead of turning into `any`. Errors in other
 * packages' declarations are not keygate's to fix and are only logged (@types/koa 3.0 and content-disposition 2's own
 * types disagree, for one); errors in the app's code or under node_modules/@keygate/ are returned.
 */
async function typeErrors(t: ExecutionContext, tsc: string, config: string, cwd: string): Promise<string[]> {
  try {
    await run(tsc, ['-p', config, '--skipLibCheck', 'false', '--pretty', 'false'], { cwd });
    return [];
  } catch (error) {
    if (!(error instanceof CommandFailed)) throw error;
    const errors = error.output.stdout.split('\n').filter((line) => /error TS\d+/.test(line));
    const theirs = errors.filter((line) => line.startsWith('node_modules/') && !line.startsWith('node_modules/@keygate/'));
    if (theirs.length > 0) t.log(`${config}: errors in other packages' declarations, not keygate's:\n${theirs.join('\n')}`);
    return errors.length > 0 ? errors.filter((line) => !theirs.includes(line)) : [error.message];
  }
}

test('a TypeScript project type-checks against the published declarations with nodenext and with bundler resolution, and runs', async (t) => {
  t.timeout(5 * MINUTES);
  const dir = await project('typescript', 'module', { ...FRAMEWORKS, ...TYPES });
  const compilers = { 'TypeScript 5.9': join(dir, 'node_modules/.bin/tsc'), 'TypeScript 7': join(ROOT, 'node_modules/.bin/tsc') };
  for (const [compiler, tsc] of Object.entries(compilers)) {
    for (const config of ['tsconfig.nodenext.json', 'tsconfig.bundler.json']) {
      t.deepEqual(await typeErrors(t, tsc, config, dir), [], `${compiler}, ${config}`);
    }
  }

  // Compiled as nodenext emits it: the ESM app signs a request to itself, and the CommonJS file require()s the packages.
  await run(compilers['TypeScript 5.9'], ['-p', 'tsconfig.nodenext.json', '--noEmit', 'false', '--outDir', 'out'], { cwd: dir });
  const report = JSON.parse((await run(process.execPath, ['out/index.js'], { cwd: dir })).stdout) as unknown;
  t.deepEqual(report, {
    signed: { status: 200, body: { principal: 'TKN-1', bytes: 13 } },
    badlySigned: { status: 401, body: { code: 'bad_signature' } },
  });
  const required = await run(process.execPath, ['-e', 'console.log(typeof require("./out/require.cjs").middleware)'], { cwd: dir });
  t.is(required.stdout.trim(), 'function');
  // The Fastify plugin, the Fetch handler and the Hono middleware (@keygate/fetch/hono) from the same tarballs.
  const answers = { signed: 200, badlySigned: 401 };
  t.deepEqual(JSON.parse((await run(process.execPath, ['out/adapters.js'], { cwd: dir })).stdout), { fetch: answers, hono: answers, fastify: answers });
});
