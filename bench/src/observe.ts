import type { AuditEvent } from '@keygate/core';
import { createStores, gatewayLogger, gatewayMetrics, loadGatewayConfig, requestLog } from '@keygate/gateway-config';
import { median } from './stats.js';

export interface ObserveOptions {
  readonly rounds: number;
  readonly roundMs: number;
  readonly log: (line: string) => void;
}

export interface ObserveResult {
  /** The demo gateways' whole `onAudit` hook per request: metrics plus one JSON line (ns, median of rounds). */
  readonly hookNs: number;
  /** The metrics half alone (prom-client counter and histogram). */
  readonly metricsNs: number;
}

const BATCH = 10;

/** Accepted and refused requests of every scheme, as the gateways see them. */
function events(): AuditEvent[] {
  const schemes = ['inqud', 'valiant', 'lenme', 'kiiex'];
  return Array.from({ length: 1000 }, (_, i) => {
    const refused = i % 4 === 3;
    return {
      scheme: schemes[i % schemes.length]!,
      outcome: refused ? 'rejected' : 'accepted',
      code: refused ? 'bad_signature' : undefined,
      status: refused ? 401 : undefined,
      keyId: 'TKN-6c1296b8-6929-443b-ac06-f732e0e27be1',
      requestId: undefined,
      durationMs: 0.05 + (i % 7) / 100,
      method: 'POST',
      path: '/inqud/v1/payouts',
    } satisfies AuditEvent;
  });
}

/**
 * What the demo gateways' per-request observation costs on the calling thread, in-process: their `onAudit` hook
 * (prom-client counter and histogram, then a pino JSON line through the same destination, here on
 * /dev/null) against the metrics alone, in interleaved rounds. Its HTTP counterpart is the `*-unobserved` rows.
 */
export async function runObserve(options: ObserveOptions): Promise<ObserveResult> {
  const config = loadGatewayConfig({ PORT: '0' });
  const stores = await createStores(config, () => {});
  const metrics = gatewayMetrics(stores);
  const hook = requestLog(gatewayLogger('bench', {}, '/dev/null'), metrics);
  const sample = events();
  // A server logs a few lines per event-loop turn, and pino's destination writes what gathered between turns: so
  // both sides yield every BATCH events, as a loaded server does (the yield costs both sides the same).
  const time = async (each: (event: AuditEvent) => unknown, count: number): Promise<number> => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) {
      each(sample[i % sample.length]!);
      if (i % BATCH === BATCH - 1) await new Promise((resolve) => setImmediate(resolve));
    }
    return Number(process.hrtime.bigint() - start) / count;
  };
  const count = Math.max(1000, Math.round((options.roundMs * 1e6) / (await time(hook, 2000))));
  const hookNs: number[] = [];
  const metricsNs: number[] = [];
  for (let round = 0; round < options.rounds + 5; round++) {
    const sides = [async () => hookNs.push(await time(hook, count)), async () => metricsNs.push(await time((e) => metrics.observe(e), count))];
    if (round % 2 === 1) sides.reverse();
    for (const side of sides) await side();
  }
  await stores.close();
  options.log(`observe: ${count} events a round, ${options.rounds} rounds after 5 warm-up rounds`);
  return { hookNs: median(hookNs.slice(5)), metricsNs: median(metricsNs.slice(5)) };
}
