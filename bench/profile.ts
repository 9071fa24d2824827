// `pnpm bench:profile`: where the time goes, for the figures of DESIGN section 7 that `pnpm bench` reports missed.
// Each server runs under `node --cpu-prof` with the bench's own signed load; each micro case is profiled in-process
// with the inspector. Self time is summed per category and per function, in µs per request, side by side with the
// anchor the target compares against. Only samples taken during the measured load count (start-up and warm-up do not).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onlySections, optionValue } from './src/args.js';
import { jsonBody, sizeLabel } from './src/bodies.js';
import { breakdown, medianBreakdown, sideBySide, total, type Breakdown, type CpuProfile } from './src/cpu-profile.js';
import { load, RequestPool } from './src/http/load.js';
import { INQUD_PATH, inqudSigned } from './src/http/signers.js';
import { toSignedRequest, type MicroCase } from './src/micro/case.js';
import { MICRO_CASES } from './src/micro/cases.js';
import { cpuMs, startServer, stopAllChildren } from './src/proc.js';
import { fixed, machine, table } from './src/report.js';
import { median, rotate } from './src/stats.js';

const args = process.argv.slice(2);
const requests = Number(optionValue(args, 'requests') ?? 40_000);
const rounds = Number(optionValue(args, 'rounds') ?? 3);
const only = onlySections(args, ['http', 'micro']);
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const nowUs = (): number => Number(process.hrtime.bigint() / 1000n); // the clock V8's profiles use (CLOCK_MONOTONIC)
const TOP = 14;

interface Column {
  readonly name: string;
  readonly profile: Breakdown;
  /** Server CPU per request from /proc (every thread, user + system), for comparison with the profile's main thread. */
  readonly procUs?: number;
}

function report(title: string, columns: readonly Column[]): string {
  const us = (v: number): string => fixed(v, 2);
  const names = columns.map((c) => c.name);
  const profiles = columns.map((c) => c.profile);
  const lastOf = (values: readonly number[]): number => values[values.length - 1]!;
  const categories = sideBySide(profiles, (b) => b.categories).sort((a, b) => lastOf(b[1]) - lastOf(a[1]));
  const sums = ['main thread, sampled', ...columns.map((c) => us(total(c.profile)))];
  const proc = columns.every((c) => c.procUs !== undefined) ? [['all threads, /proc', ...columns.map((c) => us(c.procUs!))]] : [];
  // What the last column adds over the first, largest either way first.
  const excess = (values: readonly number[]): number => Math.abs(lastOf(values) - values[0]!);
  const functions = sideBySide(profiles, (b) => b.functions).sort((a, b) => excess(b[1]) - excess(a[1])).slice(0, TOP);
  const last = names[names.length - 1]!;
  return [
    `${title}: self time in µs per request, by category`,
    table(['category', ...names], [...categories.map(([k, v]) => [k, ...v.map(us)]), sums, ...proc]),
    '',
    `The ${TOP} functions whose self time differs most between ${names[0]} and ${last} (µs per request)`,
    table(['function', ...names], functions.map(([k, v]) => [k, ...v.map(us)])),
    '',
  ].join('\n');
}

async function profileServer(name: string, entry: string): Promise<Column> {
  const dir = mkdtempSync(join(tmpdir(), 'keygate-profile-'));
  const server = await startServer(name, entry, {}, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100']);
  try {
    const pool = new RequestPool(inqudSigned(jsonBody(1024)));
    pool.fill(25_000);
    await load({ url: server.url, method: 'POST', path: INQUD_PATH, connections: 10, duration: 1, pool }); // warm-up
    pool.fill(requests);
    const cpuBefore = cpuMs(server.pid);
    const from = nowUs();
    const result = await load({ url: server.url, method: 'POST', path: INQUD_PATH, connections: 10, amount: requests, pool });
    const to = nowUs();
    const procUs = ((cpuMs(server.pid) - cpuBefore) * 1000) / result.requests;
    if (result.non2xx + result.errors > 0) throw new Error(`${name}: ${result.non2xx} non-2xx and ${result.errors} errors under profiling`);
    await server.stop(); // the profile is written as the process exits
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (file === undefined) throw new Error(`${name} wrote no CPU profile`);
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    log(`profile ${name}: ${result.requests} requests, ${procUs.toFixed(1)} µs CPU/req`);
    return { name, profile: breakdown(profile, result.requests, from, to), procUs };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function profileLoop(session: Session, calls: number, loop: () => Promise<void>): Promise<Breakdown> {
  await loop(); // warm-up, so the profile shows optimised code
  await loop();
  await session.post('Profiler.start');
  await loop();
  const { profile } = await session.post('Profiler.stop');
  return breakdown(profile as CpuProfile, calls);
}

/**
 * keygate's `scheme.verify` and the minimal verifier on the same pre-signed requests, as in `pnpm bench`, in
 * alternating order round by round.
 */
async function profileMicro(session: Session, c: MicroCase, size: number): Promise<Column[]> {
  const body = jsonBody(size);
  const count = 20_000;
  const raws = Array.from({ length: count }, (_, i) => c.verify!.valid(body, i));
  const signed = raws.map(toSignedRequest);
  const passes = 5;
  const sides = {
    minimal: async (): Promise<void> => {
      for (let p = 0; p < passes; p++) for (const req of raws) if (!(await c.verify!.minimal(req))) throw new Error('minimal refused');
    },
    keygate: async (): Promise<void> => {
      for (let p = 0; p < passes; p++) {
        const check = c.create(); // fresh replay store: every salt is new to it
        for (const req of signed) await check(req);
      }
    },
  };
  const runs = { minimal: [] as Breakdown[], keygate: [] as Breakdown[] };
  for (let round = 0; round < rounds; round++) {
    for (const side of rotate(['minimal', 'keygate'] as const, round)) runs[side].push(await profileLoop(session, count * passes, sides[side]));
  }
  return [{ name: 'minimal', profile: medianBreakdown(runs.minimal) }, { name: 'keygate', profile: medianBreakdown(runs.keygate) }];
}

const host = machine();
const sections: string[] = [`Machine: ${host.cores} x ${host.cpu}, Node ${host.node}`, ''];
try {
  if (only.has('http')) {
    const frameworks = optionValue(args, 'frameworks')?.split(',') ?? ['koa', 'express', 'fastify', 'hono'];
    for (const framework of frameworks) {
      const servers = [
        [`bare-${framework}`, `bench/src/servers/bare-${framework}.ts`],
        [`minimal-${framework}`, `bench/src/servers/minimal-${framework}.ts`],
        [`${framework}-gateway`, `examples/${framework}-gateway/src/main.ts`],
      ] as const;
      const runs = new Map<string, Column[]>(servers.map(([name]) => [name, []]));
      for (let round = 0; round < rounds; round++) {
        for (const [name, entry] of rotate(servers, round)) runs.get(name)!.push(await profileServer(name, entry));
      }
      const columns = servers.map(([name]): Column => {
        const columnRuns = runs.get(name)!;
        return { name, profile: medianBreakdown(columnRuns.map((c) => c.profile)), procUs: median(columnRuns.map((c) => c.procUs!)) };
      });
      sections.push(report(`HTTP, 1 KiB signed Inqud POSTs, autocannon 10 connections, ${framework}, median of ${rounds} runs per server`, columns));
    }
  }
  if (only.has('micro')) {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 50 });
    // The sizes where verify is not dominated by hashing the body (at 64 KiB and up both sides are the hash).
    const cases = MICRO_CASES.filter((c) => c.verify !== undefined && c.reference !== true);
    for (const [c, size] of cases.flatMap((c) => (c.coversBody ? [0, 1024] : [0]).map((size) => [c, size] as const))) {
      log(`profile micro ${c.name} ${sizeLabel(size)}`);
      await c.setup?.();
      const title = `Micro, ${c.name}${c.coversBody ? ` ${sizeLabel(size)}` : ''}, scheme.verify vs the minimal verifier, median of ${rounds} runs`;
      sections.push(report(title, await profileMicro(session, c, size)));
    }
    session.disconnect();
  }
} finally {
  stopAllChildren();
}
process.stdout.write(sections.join('\n'));
