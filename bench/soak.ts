// `pnpm bench:soak`: every demo gateway, side by side, under a steady mix of valid, badly signed, replayed, oversized,
// truncated and malformed requests at a fixed rate, for 10 minutes (or --minutes=N, --seconds=N). Per minute and
// gateway: requests, unexpected answers (must be 0), server errors (must be 0), p50/p99 latency (oversized uploads
// apart: their time is mostly the upload itself), CPU and peak RSS,
// which must stay within the configured replay budget plus a fixed margin over the idle RSS. Exits 1 when a check
// fails. Progress goes to stderr; stdout gets the tables and, as its last line, a JSON summary.
import { Agent } from 'node:http';
import { parseByteLimit } from '@keygate/core';
import { optionValue } from './src/args.js';
import { cpuMs, memory, startServer, stopAllChildren, type ServerProcess } from './src/proc.js';
import { fixed, int, machine, table } from './src/report.js';
import { KINDS, schedule, sessionToken, type Answer, type Target } from './src/soak/mix.js';

const args = process.argv.slice(2);
const seconds = Number(optionValue(args, 'seconds') ?? Number(optionValue(args, 'minutes') ?? 10) * 60);
const rate = Number(optionValue(args, 'rate') ?? 100);
const budgetText = optionValue(args, 'replay-budget') ?? '64mb';
const budget = parseByteLimit('--replay-budget', budgetText, 0);
/** Room over the idle RSS for everything but the replay state: V8's heap growth, body buffers, sockets. */
const MARGIN = 96 * 1024 * 1024;
const MINUTE = 60_000;
const log = (line: string): void => void process.stderr.write(`${line}\n`);
if (!(seconds > 0) || !(rate > 0)) throw new Error('--seconds/--minutes and --rate must be positive numbers');

const GATEWAYS = [
  ['express-gateway', 'examples/express-gateway/src/main.ts'],
  ['koa-gateway', 'examples/koa-gateway/src/main.ts'],
  ['fastify-gateway', 'examples/fastify-gateway/src/main.ts'],
  ['hono-gateway', 'examples/hono-gateway/src/main.ts'],
] as const;

interface Minute {
  requests: number;
  unexpected: number;
  serverErrors: number;
  /** Latencies of every request but the oversized uploads, whose time is mostly the client's own upload. */
  latencies: number[];
  uploadLatencies: number[];
  peakRss: number;
  cpuMs: number;
}

interface Soaked {
  readonly name: string;
  readonly server: ServerProcess;
  readonly target: Target;
  readonly idleRss: number;
  readonly minutes: Minute[];
  /** The first few unexpected answers, for the report. */
  readonly samples: string[];
  inFlight: number;
}

const newMinute = (): Minute => ({ requests: 0, unexpected: 0, serverErrors: 0, latencies: [], uploadLatencies: [], peakRss: 0, cpuMs: 0 });

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
}

async function start(name: string, entry: string): Promise<Soaked> {
  const server = await startServer(name, entry, { KEYGATE_REPLAY_MAX_BYTES: budgetText, KEYGATE_SESSION_KEY: 'soak-session-key-0123456789abcdef0123456789' });
  // Node's agent ignores the server's `Keep-Alive: timeout=5` hint unless it has a timeout of its own, and would reuse
  // a connection the server is closing at that instant (ECONNRESET): drop idle ones well before.
  const agent = new Agent({ keepAlive: true, maxSockets: 32, timeout: 2000 });
  const target: Target = { url: server.url, agent, aptoken: await sessionToken(server.url, agent), accepted: [] };
  return { name, server, target, idleRss: memory(server.pid).rss, minutes: [], samples: [], inFlight: 0 };
}

function record(g: Soaked, minute: number, kind: (typeof KINDS)[number], answer: Answer, ms: number): void {
  const m = (g.minutes[minute] ??= newMinute());
  m.requests++;
  (kind.expected === 413 ? m.uploadLatencies : m.latencies).push(ms);
  const status = 'status' in answer ? answer.status : 0;
  if (status >= 500) m.serverErrors++;
  if (status !== kind.expected) {
    m.unexpected++;
    if (g.samples.length < 10) g.samples.push(`${kind.name}: expected ${kind.expected}, got ${'status' in answer ? `${status} ${answer.body.slice(0, 100)}` : answer.error}`);
  }
}

const host = machine();
log(`keygate soak on ${host.cores} x ${host.cpu}, Node ${host.node}: ${seconds} s at ${rate} requests/s per gateway, replay budget ${budgetText}`);
const soaked = await Promise.all(GATEWAYS.map(([name, entry]) => start(name, entry)));
const slots = schedule(KINDS);
const began = Date.now();
let sent = 0;
let cpuMark = soaked.map((g) => cpuMs(g.server.pid));

// Open loop: requests leave on schedule whatever the answers do, so a slow server shows as latency, not as less load.
await new Promise<void>((resolve) => {
  const sender = setInterval(() => {
    const elapsed = Date.now() - began;
    if (elapsed >= seconds * 1000) {
      clearInterval(sender);
      return resolve();
    }
    const due = Math.floor((elapsed * rate) / 1000);
    for (; sent < due; sent++) {
      const kind = slots[sent % slots.length]!;
      const minute = Math.floor(elapsed / MINUTE);
      for (const g of soaked) {
        const t0 = performance.now();
        g.inFlight++;
        void kind.send(g.target).then(
          (answer) => record(g, minute, kind, answer, performance.now() - t0),
          (error: unknown) => record(g, minute, kind, { error: String(error) }, performance.now() - t0),
        ).finally(() => g.inFlight--);
      }
    }
  }, 5);
  const sampler = setInterval(() => {
    const minute = Math.floor((Date.now() - began) / MINUTE);
    for (const g of soaked) {
      const m = (g.minutes[minute] ??= newMinute());
      m.peakRss = Math.max(m.peakRss, memory(g.server.pid).rss);
    }
  }, 1000);
  const perMinute = setInterval(() => {
    const minute = Math.floor((Date.now() - began) / MINUTE) - 1;
    soaked.forEach((g, i) => {
      const now = cpuMs(g.server.pid);
      const m = (g.minutes[minute] ??= newMinute());
      m.cpuMs = now - cpuMark[i]!;
      log(`${g.name} minute ${minute + 1}: ${m.requests} requests, ${m.unexpected} unexpected, p99 ${fixed(percentile(m.latencies, 99), 1)} ms, RSS ${fixed(m.peakRss / 2 ** 20, 0)} MiB`);
    });
    cpuMark = soaked.map((g) => cpuMs(g.server.pid));
  }, MINUTE);
  const stop = (): void => {
    clearInterval(sampler);
    clearInterval(perMinute);
  };
  setTimeout(stop, seconds * 1000 + 100).unref();
});

// Let the last answers come in (oversized uploads and lingering closes take up to a few seconds).
for (let wait = 0; wait < 100 && soaked.some((g) => g.inFlight > 0); wait++) await new Promise((r) => setTimeout(r, 100));
const lastMinute = Math.ceil(seconds / 60) - 1;
soaked.forEach((g, i) => {
  const m = (g.minutes[lastMinute] ??= newMinute());
  if (m.cpuMs === 0) m.cpuMs = cpuMs(g.server.pid) - cpuMark[i]!;
  m.peakRss = Math.max(m.peakRss, memory(g.server.pid).rss);
});

const sections: string[] = [];
const summary: Record<string, unknown> = { seconds, rate, replayBudget: budget, marginBytes: MARGIN };
let failed = false;
for (const g of soaked) {
  const minutes = Array.from(g.minutes, (m) => m ?? newMinute());
  const total = minutes.reduce((a, m) => ({ requests: a.requests + m.requests, unexpected: a.unexpected + m.unexpected, serverErrors: a.serverErrors + m.serverErrors }), { requests: 0, unexpected: 0, serverErrors: 0 });
  const peak = Math.max(...minutes.map((m) => m.peakRss));
  const bound = g.idleRss + budget + MARGIN;
  const stillOpen = g.inFlight;
  const ok = total.unexpected === 0 && total.serverErrors === 0 && peak <= bound && stillOpen === 0;
  failed ||= !ok;
  sections.push(
    `${g.name}: ${int(total.requests)} requests in ${seconds} s, ${total.unexpected} unexpected, ${total.serverErrors} server errors, ` +
      `${stillOpen} unanswered at the end; peak RSS ${fixed(peak / 2 ** 20, 0)} MiB, bound ${fixed(bound / 2 ** 20, 0)} MiB ` +
      `(idle ${fixed(g.idleRss / 2 ** 20, 0)} + replay budget ${fixed(budget / 2 ** 20, 0)} + margin ${fixed(MARGIN / 2 ** 20, 0)}): ${ok ? 'ok' : 'FAILED'}`,
    table(
      ['minute', 'requests', 'unexpected', '5xx', 'p50 ms', 'p99 ms', 'p99 413 ms', 'CPU %', 'peak RSS MiB'],
      minutes.map((m, i) => [
        String(i + 1), int(m.requests), int(m.unexpected), int(m.serverErrors), fixed(percentile(m.latencies, 50), 1), fixed(percentile(m.latencies, 99), 1),
        fixed(percentile(m.uploadLatencies, 99), 0), fixed((m.cpuMs / Math.min(MINUTE, seconds * 1000 - i * MINUTE)) * 100, 0), fixed(m.peakRss / 2 ** 20, 0),
      ]),
    ),
    ...(g.samples.length > 0 ? ['first unexpected answers:', ...g.samples.map((s) => `  ${s}`)] : []),
    '',
  );
  summary[g.name] = { ...total, unanswered: stillOpen, peakRssBytes: peak, idleRssBytes: g.idleRss, boundBytes: bound, p99Ms: minutes.map((m) => Math.round(percentile(m.latencies, 99) * 10) / 10), ok };
}
const mix = KINDS.map((k) => `${k.name} ${k.weight}% -> ${k.expected}`).join(', ');
sections.push(`Mix (per gateway): ${mix}`, `Machine: ${host.cores} x ${host.cpu}, Node ${host.node}`);
console.log(sections.join('\n'));
console.log(JSON.stringify({ ...summary, ok: !failed }));
for (const g of soaked) g.target.agent.destroy();
await Promise.all(soaked.map((g) => g.server.stop()));
stopAllChildren();
process.exit(failed ? 1 : 0);
