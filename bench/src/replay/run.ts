import { spawnSync } from 'node:child_process';
import { ROOT } from '../root.js';
import { median, rotate } from '../stats.js';

export interface ClaimsSample {
  readonly store: string;
  readonly count: number;
  readonly replayRefused: boolean;
  readonly cpuNsPerClaim: number;
  readonly heapBytesPerNonce: number;
  readonly rssBytesPerNonce: number;
  readonly longestClaimMs: number;
  readonly claimsOver1ms: number;
  /** The longest claim with the GC pauses that fell inside it taken out. */
  readonly longestNetOfGcMs: number;
  /** Claims from this index on count for the pause figures of record (the store then holds a tenth of the count). */
  readonly pauseFrom: number;
  /** The longest of those claims net of GC, and how many of them took over 1 ms net of GC. */
  readonly longestWarmNetOfGcMs: number;
  readonly warmClaimsOver1msNetOfGc: number;
  readonly longestGcMs: number;
  readonly gcPauses: number;
}

/** One run of claims.ts in a fresh process. */
export function runClaims(store: 'keygate' | 'map' | 'none' | 'spin', count: number): ClaimsSample {
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/src/replay/claims.ts', store, String(count)], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) throw new Error(`claims.ts ${store} ${count} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as ClaimsSample;
}

export interface ClaimsRow {
  readonly store: string;
  readonly cpuNsPerClaim: number;
  readonly heapBytesPerNonce: number;
  readonly rssBytesPerNonce: number;
  readonly longestClaimMs: number;
  readonly longestGcMs: number;
}

/** Each store in fresh processes, `rounds` times in rotated order; medians per store. */
export function compareStores(count: number, rounds: number, log: (line: string) => void): Map<string, ClaimsRow> {
  const stores = ['none', 'keygate', 'map'] as const;
  const samples = new Map<string, ClaimsSample[]>(stores.map((s) => [s, []]));
  for (let round = 0; round < rounds; round++) {
    for (const store of rotate(stores, round)) {
      const sample = runClaims(store, count);
      if (store !== 'none' && !sample.replayRefused) throw new Error(`${store} accepted a replay`);
      samples.get(store)!.push(sample);
      log(`replay round ${round + 1}/${rounds} ${store}: ${sample.cpuNsPerClaim.toFixed(0)} ns/claim, ${sample.heapBytesPerNonce.toFixed(1)} B/nonce`);
    }
  }
  const rows = new Map<string, ClaimsRow>();
  for (const [store, list] of samples) {
    const of = (pick: (s: ClaimsSample) => number): number => median(list.map(pick));
    rows.set(store, {
      store,
      cpuNsPerClaim: of((s) => s.cpuNsPerClaim),
      heapBytesPerNonce: of((s) => s.heapBytesPerNonce),
      rssBytesPerNonce: of((s) => s.rssBytesPerNonce),
      longestClaimMs: of((s) => s.longestClaimMs),
      longestGcMs: of((s) => s.longestGcMs),
    });
  }
  return rows;
}
