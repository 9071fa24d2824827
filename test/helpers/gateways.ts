import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { FRAMEWORKS, type Framework } from './frameworks.js';

export { FRAMEWORKS, type Framework };

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface GatewayProcess extends ListeningProcess {
  readonly framework: Framework;
}

/**
 * Starts a demo gateway as its own process, the way `pnpm demo` does, on a free port, and resolves once it prints
 * `listening on http://HOST:PORT`.
 */
export async function startGatewayProcess(framework: Framework, env: Record<string, string> = {}): Promise<GatewayProcess> {
  return { framework, ...(await startListening(`${framework} gateway`, `examples/${framework}-gateway/src/main.ts`, env)) };
}

/** A process started from the repository root, once it printed `listening on http://HOST:PORT`. */
export interface ListeningProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/** Runs `entry` (a path from the repository root) with PORT=0 and HOST=127.0.0.1 until it prints `listening on`. */
export function startListening(name: string, entry: string, env: Record<string, string> = {}): Promise<ListeningProcess> {
  return startCommand(name, process.execPath, ['--import', 'tsx', entry], env);
}

/**
 * Runs a command from the repository root, in a process group of its own (so a shell and the node it starts are
 * stopped together), with PORT=0 and HOST=127.0.0.1, until it prints `listening on`.
 */
export function startCommand(name: string, file: string, args: readonly string[], env: Record<string, string> = {}): Promise<ListeningProcess> {
  const child = spawn(file, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let printed = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL');
      reject(new Error(`${name} did not start within 60 s:\n${printed}`));
    }, 60_000);
    const onData = (chunk: Buffer): void => {
      printed += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(printed);
      if (match?.[1] === undefined) return;
      clearTimeout(timer);
      resolve({
        url: match[1],
        child,
        output: () => printed,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            process.kill(-child.pid!, 'SIGTERM');
          }),
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening:\n${printed}`));
    });
  });
}

/**
 * Each item paired with the next, the last with the first: with n gateways, n pairs in which every gateway is once
 * the first and once the second (cross-process checks without n x (n - 1) pairs).
 *
 * @example
 * for (const [issuer, other] of ring(gateways)) { … }
 */
export function ring<T>(items: readonly T[]): [T, T][] {
  return items.map((item, index) => [item, items[(index + 1) % items.length]!]);
}

/** Starts every framework's gateway with the same environment. */
export async function startGateways(env: Record<string, string> = {}): Promise<GatewayProcess[]> {
  return Promise.all(FRAMEWORKS.map((framework) => startGatewayProcess(framework, env)));
}

/**
 * Starts every gateway before a test file's tests and stops them after all of them; returns the lookup by framework.
 *
 * @example
 * const gateway = useGateways({ KEYGATE_SESSION_KEY: key });
 * test('…', async (t) => { await send(`${gateway('koa').url}/healthz`); });
 */
export function useGateways(env: Record<string, string> = {}): (framework: Framework) => GatewayProcess {
  let gateways: GatewayProcess[] = [];
  test.before(async () => {
    gateways = await startGateways(env);
  });
  test.after.always(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
  });
  return (framework) => {
    const gateway = gateways.find((g) => g.framework === framework);
    if (gateway === undefined) throw new Error(`the ${framework} gateway is not running`);
    return gateway;
  };
}
