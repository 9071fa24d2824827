import { cpuMs, startServer, type ServerProcess } from '../proc.js';
import { median, pairedRatio, rotate } from '../stats.js';
import { load, RequestPool, type LoadResult, type RequestMaker } from './load.js';

/** One server the HTTP figures measure, started fresh for every round as its own process. */
export interface ServerSpec {
  readonly name: string;
  /** Entry file, from the repository root, run as `node --import tsx <entry>`. */
  readonly entry: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly path: string;
  /** Makes this server's requests (signed for it); called once per round. */
  readonly requests: () => RequestMaker;
  /** Checked on the started process's output; the run fails when it does not hold (e.g. Redis not in use). */
  readonly expectOutput?: RegExp;
}

export interface HttpOptions {
  readonly rounds: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly connections: number;
  readonly log: (line: string) => void;
}

export interface Sample {
  readonly load: LoadResult;
  /** Server CPU time per request, in microseconds (user + system of the server process only). */
  readonly cpuUs: number;
  readonly late: number;
}

export interface HttpRow {
  readonly name: string;
  readonly rps: number;
  readonly cpuUs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly late: number;
}

export async function withServer<T>(spec: ServerSpec, run: (server: ServerProcess) => Promise<T>): Promise<T> {
  const server = await startServer(spec.name, spec.entry, { ...spec.env });
  try {
    if (spec.expectOutput !== undefined && !spec.expectOutput.test(server.output())) {
      throw new Error(`${spec.name}: expected ${spec.expectOutput} in its start-up output, got:\n${server.output()}`);
    }
    return await run(server);
  } finally {
    await server.stop();
  }
}

interface Running {
  readonly spec: ServerSpec;
  readonly server: ServerProcess;
  /** Highest throughput seen so far, to size the next pool. */
  maxRps: number;
}

async function start(spec: ServerSpec, options: HttpOptions): Promise<Running> {
  const server = await startServer(spec.name, spec.entry, { ...spec.env });
  if (spec.expectOutput !== undefined && !spec.expectOutput.test(server.output())) {
    await server.stop();
    throw new Error(`${spec.name}: expected ${spec.expectOutput} in its start-up output, got:\n${server.output()}`);
  }
  const running: Running = { spec, server, maxRps: 0 };
  await run(running, options.warmupSeconds, options); // JIT and connection set-up, not measured
  return running;
}

/** One run against a running server, with enough requests signed beforehand; server CPU read from /proc. */
async function run(running: Running, seconds: number, options: HttpOptions): Promise<Sample> {
  const pool = new RequestPool(running.spec.requests());
  // Twice the best rate seen (the warm-up's first second underestimates a warm server), never under 25 000/s.
  pool.fill(Math.ceil(Math.max(running.maxRps * 2, 25_000) * seconds) + 2000);
  const { server } = running;
  const cpuBefore = cpuMs(server.pid);
  const result = await load({ url: server.url, method: 'POST', path: running.spec.path, connections: options.connections, duration: seconds, pool });
  const cpuUs = ((cpuMs(server.pid) - cpuBefore) * 1000) / Math.max(1, result.requests);
  running.maxRps = Math.max(running.maxRps, result.rps);
  return { load: result, cpuUs, late: pool.late };
}

/**
 * All servers run side by side as separate processes; each round measures every one of them for `seconds`, in an
 * order rotated each round. Short alternating runs spread a noisy neighbour's bursts over every server alike, and
 * the ratios are taken within a round. The gateways keep every salt (their replay store holds millions), so each
 * server runs from the first round to the last.
 */
export async function runHttp(specs: readonly ServerSpec[], options: HttpOptions): Promise<Map<string, Sample[]>> {
  const samples = new Map<string, Sample[]>(specs.map((s) => [s.name, []]));
  const running = new Map<string, Running>();
  try {
    for (const spec of specs) running.set(spec.name, await start(spec, options));
    for (let round = 0; round < options.rounds; round++) {
      for (const spec of rotate(specs, round)) {
        const sample = await run(running.get(spec.name)!, options.seconds, options);
        samples.get(spec.name)!.push(sample);
        const { load: l } = sample;
        options.log(
          `http round ${round + 1}/${options.rounds} ${spec.name}: ${Math.round(l.rps)} req/s, ${sample.cpuUs.toFixed(0)} µs CPU/req` +
            (l.non2xx + l.errors > 0 ? `, ${l.non2xx} non-2xx, ${l.errors} errors` : ''),
        );
      }
    }
  } finally {
    for (const { server } of running.values()) await server.stop();
  }
  return samples;
}

export function httpRow(name: string, samples: readonly Sample[]): HttpRow {
  const sum = (pick: (s: Sample) => number): number => samples.reduce((total, s) => total + pick(s), 0);
  return {
    name,
    rps: median(samples.map((s) => s.load.rps)),
    cpuUs: median(samples.map((s) => s.cpuUs)),
    p50Ms: median(samples.map((s) => s.load.p50Ms)),
    p99Ms: median(samples.map((s) => s.load.p99Ms)),
    requests: sum((s) => s.load.requests),
    non2xx: sum((s) => s.load.non2xx),
    errors: sum((s) => s.load.errors + s.load.timeouts),
    late: sum((s) => s.late),
  };
}

/** Throughput of `a` over `b`, paired by round. */
export function rpsRatio(samples: Map<string, Sample[]>, a: string, b: string): number {
  return pairedRatio(samples.get(a)!.map((s) => s.load.rps), samples.get(b)!.map((s) => s.load.rps));
}

/** Server CPU per request of `a` (the anchor) over that of `b`, paired by round: the throughput ratio if both were CPU-bound. */
export function cpuRatio(samples: Map<string, Sample[]>, a: string, b: string): number {
  return pairedRatio(samples.get(a)!.map((s) => s.cpuUs), samples.get(b)!.map((s) => s.cpuUs));
}
