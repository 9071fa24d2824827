import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './root.js';

export interface ServerProcess {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** Everything it printed so far (stdout and stderr), read from its output file. */
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

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

/** Where the servers' output goes: one file each, in a directory removed when the bench exits. */
let outputDir: string | undefined;
let started = 0;
function outputFile(name: string): string {
  if (outputDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'keygate-bench-'));
    outputDir = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return join(outputDir, `${name}-${++started}.log`);
}

/**
 * Starts `node --import tsx <entry>` from the repository root on a free port and resolves once it prints
 * `listening on http://HOST:PORT` (the demo gateways' contract; the bench's own servers print the same).
 * `nodeArgs` go before the entry (`--cpu-prof` for `pnpm bench:profile`).
 *
 * Its stdout and stderr go to a file, as a production server's logs do, not to a pipe: a gateway logs a JSON line
 * per request, megabytes a run, and reading them here would cost the load generator, which runs in this process.
 */
export function startServer(
  name: string,
  entry: string,
  env: Record<string, string> = {},
  nodeArgs: readonly string[] = [],
): Promise<ServerProcess> {
  const file = outputFile(name);
  const fd = openSync(file, 'w');
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  running.add(child);
  child.once('exit', () => running.delete(child));
  const output = (): string => readFileSync(file, 'utf8');
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      const match = /listening on (http:\/\/[^\s)"]+)/.exec(output());
      if (match?.[1] === undefined || child.pid === undefined) return;
      clearInterval(poll);
      clearTimeout(timer);
      child.off('exit', onExit);
      const pid = child.pid;
      resolve({
        name,
        url: match[1],
        pid,
        output,
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
    }, 20);
    const timer = setTimeout(() => {
      clearInterval(poll);
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within 30 s:\n${output()}`));
    }, 30_000);
    const onExit = (code: number | null): void => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening:\n${output()}`));
    };
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
