import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { startServer } from './proc.js';

/**
 * The Redis slot of DESIGN section 7 ("Redis-backed replay check >= 0.6x of memory-store throughput"): the Express
 * gateway with `REDIS_URL` (salts claimed by redisNonceStore in a real redis-server) against the same gateway with its
 * in-memory store, as two more servers in the HTTP rounds. It fills itself in once the demo gateways honour
 * REDIS_URL (their start-up line then says `replay state: redis`); until then it reports why it is pending.
 */
export type RedisSlot =
  | { readonly ready: true; readonly url: string; stop(): Promise<void> }
  | { readonly ready: false; readonly pending: string };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** A redis-server on `port` without persistence, resolved once it accepts connections. */
export function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start within 10 s:\n${printed}`));
    }, 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      if (printed.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${printed}`));
    });
  });
}

export function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Starts a redis-server on a free port when the gateways can use it; the caller stops it with `stop()`. */
export async function redisSlot(gatewayEntry: string): Promise<RedisSlot> {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) {
    return { ready: false, pending: 'redis-server is not installed' };
  }
  const port = await freePort();
  const redis = await startRedis(port);
  process.once('exit', () => redis.kill('SIGKILL'));
  const url = `redis://127.0.0.1:${port}`;
  let output: string;
  try {
    const probe = await startServer('redis-probe', gatewayEntry, { REDIS_URL: url });
    output = probe.output();
    await probe.stop();
  } catch (error) {
    await stopProcess(redis);
    return { ready: false, pending: `the gateway did not start with REDIS_URL: ${(error as Error).message.split('\n')[0]}` };
  }
  if (/replay state: redis/.test(output)) return { ready: true, url, stop: () => stopProcess(redis) };
  await stopProcess(redis);
  return { ready: false, pending: 'the demo gateways do not use REDIS_URL yet (their start-up line says replay state: memory)' };
}
