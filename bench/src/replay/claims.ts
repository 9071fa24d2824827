// One measurement in a fresh process: `node --expose-gc --import tsx bench/src/replay/claims.ts <store> <count>`.
// Pause figures: a V8 collection stops whatever JavaScript runs when it starts or finishes (at an allocation or at an
// interrupt check in any loop), so a claim can contain a collection the whole process caused. The GC observer gives
// each pause's span; "net of GC" takes those spans out of the claims they fell inside. The pause figures of record
// count the claims made once the store holds a tenth of <count> (the first claims also pay for V8 compiling the code).
// Claims <count> fresh 64-hex-character salts under one Inqud scope, as a gateway does, and prints one JSON line:
// CPU ns per claim, memory per live nonce (V8 heap + array buffers, and RSS, each after a full GC, against the
// empty store), and the longest single claim and GC pause. Store `none` only builds the salts: the calibration row
// for cost and memory; `spin` (about 1 µs of busy loop per claim, KEYGATE_BENCH_SPIN_NS) is the one for pauses.
// keygate's store reserves its budget when it is made, before the empty reading, so its memory is the RSS figure:
// what the operating system has backed of the budget, plus whatever the loop itself leaves (see `none`).
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { memoryNonceStore, type NonceStore } from '@keygate/core';
import { mapNonceStore } from './map-nonce-store.js';

const [which = 'keygate', countText = '1000000'] = process.argv.slice(2);
const count = Number(countText);
const SCOPE = 'inqud:TKN-6c1296b8-6929-443b-ac06-f732e0e27be1';
const DAY_MS = 86_400_000;

/** A distinct 64-character hex salt per index, made as cheaply as a request's header string is. */
function salt(i: number): string {
  const word = (Math.imul(i, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0');
  return `${word}${i.toString(16).padStart(8, '0')}`.repeat(4);
}

/**
 * A stand-in that stores nothing and spins for about `ns` per claim in a JIT-compiled loop: the calibration for the
 * pause figures. A claim of keygate's length is exposed alike to what the machine does meanwhile (the hypervisor,
 * other processes, V8's own threads), so its claims over 1 ms are this machine's, not any store's.
 */
function spinStore(ns: number): NonceStore {
  let sink = 1;
  let iterations = 1000;
  let calls = 0;
  let sampledNs = 0;
  const spin = (): void => {
    let x = sink;
    for (let i = 0; i < iterations; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
    sink = x;
  };
  return {
    claim: () => {
      // One call in 64 is timed; every 16 384 calls the loop is rescaled to last `ns` on average, as compiled here.
      if (++calls % 64 !== 0) spin();
      else {
        const start = process.hrtime.bigint();
        spin();
        sampledNs += Number(process.hrtime.bigint() - start);
        if (calls % 16_384 === 0) {
          iterations = Math.max(1, Math.round((iterations * ns) / (sampledNs / 256)));
          sampledNs = 0;
        }
      }
      return true;
    },
  };
}

const stores: Record<string, () => NonceStore> = {
  keygate: () => memoryNonceStore(),
  map: () => mapNonceStore(Number.MAX_SAFE_INTEGER),
  none: () => ({ claim: () => true }),
  spin: () => spinStore(Number(process.env['KEYGATE_BENCH_SPIN_NS'] ?? 1000)),
};
const create = stores[which];
if (create === undefined || !Number.isSafeInteger(count) || count <= 0) throw new Error('usage: claims.ts <keygate|map|none|spin> <count>');
const gc = globalThis.gc;
if (gc === undefined) throw new Error('run with --expose-gc');

/** GC pauses that began while claims ran (not the full collections the memory readings force). */
const gcPauses: { start: number; end: number }[] = [];
let claimsFrom = Infinity;
let claimsUntil = Infinity;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.startTime >= claimsFrom && entry.startTime <= claimsUntil) gcPauses.push({ start: entry.startTime, end: entry.startTime + entry.duration });
  }
}).observe({ entryTypes: ['gc'] });
/** Claims slower than this are kept with their times, to take out the GC pauses that fell inside them. */
const SLOW_MS = 0.25;
const slowClaims: { start: number; end: number; warm: boolean }[] = [];

const store = create();
const settle = (): Promise<unknown> => new Promise((resolve) => setTimeout(resolve, 100));
/** After two full collections with a pause between: V8 frees array buffers' memory off the main thread. */
const memory = async (): Promise<{ heap: number; rss: number }> => {
  gc();
  await settle();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.arrayBuffers, rss: m.rss };
};
const before = await memory();
const pauseFrom = Math.floor(count / 10);
let longestNs = 0;
let over1ms = 0;
const cpu = process.cpuUsage();
claimsFrom = performance.now();
for (let i = 0; i < count; i++) {
  const nonce = salt(i);
  const start = process.hrtime.bigint();
  store.claim(SCOPE, nonce, DAY_MS);
  const took = Number(process.hrtime.bigint() - start);
  if (took > longestNs) longestNs = took;
  if (took > 1_000_000) over1ms++;
  if (took > SLOW_MS * 1e6) {
    const end = performance.now();
    slowClaims.push({ start: end - took / 1e6, end, warm: i >= pauseFrom });
  }
}
const used = process.cpuUsage(cpu);
claimsUntil = performance.now();
const after = await memory();
// Used after the measurement, so the store is alive through it (and the first salt must be refused as a replay).
const replayRefused = !(await store.claim(SCOPE, salt(0), DAY_MS));
await settle(); // let the GC observer deliver
/** A slow claim's time with the GC pauses inside it taken out: the store's own work (and the scheduler's). */
const netOfGc = (claim: { start: number; end: number }): number =>
  claim.end - claim.start - gcPauses.reduce((sum, gc) => sum + Math.max(0, Math.min(claim.end, gc.end) - Math.max(claim.start, gc.start)), 0);
const warmNet = slowClaims.filter((claim) => claim.warm).map(netOfGc);
const longestNetMs = slowClaims.map(netOfGc).reduce((a, b) => Math.max(a, b), 0);
console.log(JSON.stringify({
  store: which,
  count,
  replayRefused,
  cpuNsPerClaim: ((used.user + used.system) * 1000) / count,
  heapBytesPerNonce: (after.heap - before.heap) / count,
  rssBytesPerNonce: (after.rss - before.rss) / count,
  longestClaimMs: longestNs / 1e6,
  claimsOver1ms: over1ms,
  longestNetOfGcMs: longestNetMs,
  pauseFrom,
  longestWarmNetOfGcMs: warmNet.reduce((a, b) => Math.max(a, b), 0),
  warmClaimsOver1msNetOfGc: warmNet.filter((ms) => ms > 1).length,
  longestGcMs: gcPauses.reduce((longest, gc) => Math.max(longest, gc.end - gc.start), 0),
  gcPauses: gcPauses.length,
}));
