import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ROOT } from './root.js';

export interface ServerProcess {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** What it printed so far: everything up to its listening line, then up to 64 KiB more. */
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
/** Output kept per child after it is listening (see startServer). */
const MAX_KEPT_OUTPUT = 64 * 1024;

/** Stops every child this process started; runs on exit and on Ctrl-C so no server outlives the bench. */
export function stopAllChildren(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  running.clear();
}
process.once('exit', stopAllChildren);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopAllChildren();
    process.exit(130);
  });
}

/**
 * Starts `node --import tsx <entry>` from the repository root on a free port and resolves once it prints
 * `listening on http://HOST:PORT` (the demo gateways' contract; the bench's own servers print the same).
 * `nodeArgs` go before the entry (`--cpu-prof` for `pnpm bench:profile`).
 */
export function startServer(
  name: string,
  entry: string,
  env: Record<string, string> = {},
  nodeArgs: readonly string[] = [],
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let printed = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within 30 s:\n${printed}`));
    }, 30_000);
    const onExit = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening:\n${printed}`));
    };
    const onData = (chunk: Buffer): void => {
      printed += chunk.toString();
      const match = /listening on (http:\/\/[^\s)]+)/.exec(printed);
      if (match?.[1] === undefined || child.pid === undefined) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      // Keep draining its output so a chatty child never blocks on a full pipe, but keep only the start of it: a
      // gateway logs a JSON line per request, megabytes a run, which the load generator should not hoard or decode.
      const keep = (more: Buffer): void => {
        if (printed.length < MAX_KEPT_OUTPUT) printed += more.toString();
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      const pid = child.pid;
      resolve({
        name,
        url: match[1],
        pid,
        output: () => printed,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            const hard = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('exit', () => {
              clearTimeout(hard);
              done();
            });
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', onExit);
  });
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** CPU time (user + system) a process has used so far, in ms, from /proc/PID/stat. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of the whole line.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** Resident set size now and at its peak (VmRSS, VmHWM), in bytes, from /proc/PID/status. */
export function memory(pid: number): { readonly rss: number; readonly peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}
