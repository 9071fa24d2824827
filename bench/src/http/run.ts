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

/** Warm-up (JIT, connection set-up), then a measured run with enough requests signed beforehand. */
async function measure(spec: ServerSpec, options: HttpOptions): Promise<Sample> {
  return withServer(spec, async (server) => {
    const pool = new RequestPool(spec.requests());
    const base = { url: server.url, method: 'POST' as const, path: spec.path, connections: options.connections, pool };
    pool.fill(30_000);
    const warm = await load({ ...base, duration: options.warmupSeconds });
    pool.fill(Math.ceil(warm.rps * options.seconds * 1.5) + 2000);
    const lateBefore = pool.late;
    const cpuBefore = cpuMs(server.pid);
    const result = await load({ ...base, duration: options.seconds });
    const cpuUs = ((cpuMs(server.pid) - cpuBefore) * 1000) / Math.max(1, result.requests);
    return { load: result, cpuUs, late: pool.late - lateBefore };
  });
}

/**
 * Every server once per round, in an order rotated each round, each a fresh process; so drift on this shared
 * machine hits every server alike, and the ratios are taken within a round.
 */
export async function runHttp(specs: readonly ServerSpec[], options: HttpOptions): Promise<Map<string, Sample[]>> {
  const samples = new Map<string, Sample[]>(specs.map((s) => [s.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const spec of rotate(specs, round)) {
      const sample = await measure(spec, options);
      samples.get(spec.name)!.push(sample);
      const { load: l } = sample;
      options.log(
        `http round ${round + 1}/${options.rounds} ${spec.name}: ${Math.round(l.rps)} req/s, ${sample.cpuUs.toFixed(0)} µs CPU/req` +
          (l.non2xx + l.errors > 0 ? `, ${l.non2xx} non-2xx, ${l.errors} errors` : ''),
      );
    }
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
