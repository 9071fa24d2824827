import { memory } from './proc.js';
import { load, RequestPool, type LoadResult } from './http/load.js';
import { withServer, type ServerSpec } from './http/run.js';
import { median, pairedRatio, rotate } from './stats.js';

export interface MemoryOptions {
  readonly rounds: number;
  /** Requests per run, all with the large body. */
  readonly amount: number;
  readonly connections: number;
  readonly log: (line: string) => void;
}

export interface MemorySample {
  /** RSS once started, before any request. */
  readonly idle: number;
  /** Highest RSS of the process's life (VmHWM, or a higher sampled VmRSS). */
  readonly peak: number;
  readonly load: LoadResult;
}

export interface MemoryRow {
  readonly name: string;
  readonly idleMiB: number;
  readonly peakMiB: number;
  readonly rps: number;
  readonly non2xx: number;
}

async function peakUnderLoad(spec: ServerSpec, options: MemoryOptions): Promise<MemorySample> {
  return withServer(spec, async (server) => {
    const pool = new RequestPool(spec.requests());
    pool.fill(options.amount + options.connections * 2);
    const idle = memory(server.pid).rss;
    let sampled = idle;
    const sampler = setInterval(() => {
      sampled = Math.max(sampled, memory(server.pid).rss);
    }, 10);
    try {
      const result = await load({ url: server.url, method: 'POST', path: spec.path, connections: options.connections, amount: options.amount, pool });
      return { idle, peak: Math.max(sampled, memory(server.pid).peak), load: result };
    } finally {
      clearInterval(sampler);
    }
  });
}

/** Peak RSS of each server reading the same large bodies, fresh processes, alternating order per round. */
export async function runMemory(specs: readonly ServerSpec[], options: MemoryOptions): Promise<Map<string, MemorySample[]>> {
  const samples = new Map<string, MemorySample[]>(specs.map((s) => [s.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const spec of rotate(specs, round)) {
      const sample = await peakUnderLoad(spec, options);
      samples.get(spec.name)!.push(sample);
      options.log(
        `memory round ${round + 1}/${options.rounds} ${spec.name}: peak ${(sample.peak / 2 ** 20).toFixed(0)} MiB (idle ${(sample.idle / 2 ** 20).toFixed(0)} MiB)` +
          (sample.load.non2xx > 0 ? `, ${sample.load.non2xx} non-2xx` : ''),
      );
    }
  }
  return samples;
}

export function memoryRow(name: string, samples: readonly MemorySample[]): MemoryRow {
  return {
    name,
    idleMiB: median(samples.map((s) => s.idle)) / 2 ** 20,
    peakMiB: median(samples.map((s) => s.peak)) / 2 ** 20,
    rps: median(samples.map((s) => s.load.rps)),
    non2xx: samples.reduce((n, s) => n + s.load.non2xx + s.load.errors, 0),
  };
}

export function peakRatio(samples: Map<string, MemorySample[]>, a: string, b: string): number {
  return pairedRatio(samples.get(a)!.map((s) => s.peak), samples.get(b)!.map((s) => s.peak));
}
