import type { AuditEvent, MaybePromise, NonceStore, NonceStoreUsage, RevocationStore } from '@keygate/core';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { GatewayStores } from './stores.js';

/** The stores a gateway counts errors of, as the `store` label of `keygate_store_errors_total`. */
export type StoreName = 'nonces' | 'revocations';

/** The gateway's Prometheus metrics (prom-client), in a registry of their own. */
export interface GatewayMetrics {
  readonly registry: Registry;
  /** Counts one audited request and records how long its verification took. */
  observe(event: AuditEvent): void;
  /** Counts one failed call of a store (a throw, a rejection, a full memory store). */
  storeError(store: StoreName): void;
}

/** Verification takes tens of microseconds when all is well, and up to a store timeout (seconds) when not. */
const DURATION_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * Builds the metrics `GET /metrics` serves:
 * - `keygate_requests_total{scheme,outcome,code}`: every authenticated or refused request (`code` is `none` when accepted);
 * - `keygate_verification_duration_seconds{scheme}`: a histogram of verification time;
 * - `keygate_store_errors_total{store}`: failed calls of the replay (`nonces`) and session (`revocations`) stores;
 * - `keygate_replay_store_fill_ratio`, `keygate_replay_store_nonces` and `keygate_replay_store_bytes`: the memory
 *   replay store's fill level (absent when replay state lives in Redis);
 * - `keygate_ready`: 1 while every configured store is reachable (what /readyz answers);
 * - Node's process metrics (CPU, memory, event-loop delay, GC) from prom-client's defaults.
 *
 * @example
 * const metrics = gatewayMetrics(stores);
 * const text = await metrics.registry.metrics();
 */
export function gatewayMetrics(stores: GatewayStores): GatewayMetrics {
  const registry = new Registry();
  const registers = [registry];
  const requests = new Counter({
    name: 'keygate_requests_total',
    help: 'Requests keygate authenticated or refused, by scheme, outcome and error code (none when accepted)',
    labelNames: ['scheme', 'outcome', 'code'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'keygate_verification_duration_seconds',
    help: 'Time from the start of verification to its outcome, reading the body included',
    labelNames: ['scheme'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const storeErrors = new Counter({
    name: 'keygate_store_errors_total',
    help: 'Failed calls of a store (thrown, rejected, or a full memory store); each refused its request with 503',
    labelNames: ['store'] as const,
    registers,
  });
  for (const store of ['nonces', 'revocations'] as const) storeErrors.inc({ store }, 0);
  // Only a memory store has a fill level (Redis has its own maxmemory and metrics): no gauge reading 0 for Redis.
  if (stores.replayUsage() !== undefined) replayGauges(stores, registers);
  new Gauge({
    name: 'keygate_ready',
    help: '1 while every configured store is reachable, 0 while a configured Redis is not',
    registers,
    collect() {
      this.set(stores.ready() ? 1 : 0);
    },
  });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    observe(event) {
      const { scheme } = event;
      requests.inc({ scheme, outcome: event.outcome, code: event.code ?? 'none' });
      duration.observe({ scheme }, event.durationMs / 1000);
    },
    storeError(store) {
      storeErrors.inc({ store });
    },
  };
}

function replayGauges(stores: GatewayStores, registers: Registry[]): void {
  const gauges: [name: string, help: string, read: (usage: NonceStoreUsage) => number][] = [
    ['keygate_replay_store_fill_ratio', 'How full the in-memory replay store is, 0 to 1; at 1 new salts and nonces are refused with 503', (u) => u.fill],
    ['keygate_replay_store_nonces', 'Live salts and nonces the in-memory replay store holds', (u) => u.nonces],
    ['keygate_replay_store_bytes', 'Bytes of its budget the in-memory replay store has written, i.e. resident (it grows with live nonces, up to its budget)', (u) => u.bytes],
  ];
  for (const [name, help, read] of gauges) {
    new Gauge({
      name,
      help,
      registers,
      collect() {
        const usage = stores.replayUsage();
        if (usage !== undefined) this.set(read(usage));
      },
    });
  }
}

/**
 * The same stores, counting each failed call in `keygate_store_errors_total` before it fails the request closed as
 * before. A synchronous answer stays synchronous.
 *
 * @example
 * const routes = gatewayRoutes({ config, stores: countStoreErrors(stores, metrics), log });
 */
export function countStoreErrors(stores: GatewayStores, metrics: GatewayMetrics): GatewayStores {
  const { nonces, revocations } = stores;
  const counted: NonceStore = { claim: (scope, nonce, ttlMs) => counting(metrics, 'nonces', () => nonces.claim(scope, nonce, ttlMs)) };
  const countedRevocations: RevocationStore = {
    revoke: (id, expiresAtMs) => counting(metrics, 'revocations', () => revocations.revoke(id, expiresAtMs)),
    isRevoked: (id) => counting(metrics, 'revocations', () => revocations.isRevoked(id)),
  };
  return { ...stores, nonces: counted, revocations: countedRevocations };
}

function counting<T>(metrics: GatewayMetrics, store: StoreName, call: () => MaybePromise<T>): MaybePromise<T> {
  let result: MaybePromise<T>;
  try {
    result = call();
  } catch (error) {
    metrics.storeError(store);
    throw error;
  }
  if (!(result instanceof Promise)) return result;
  return result.catch((error: unknown) => {
    metrics.storeError(store);
    throw error;
  });
}
