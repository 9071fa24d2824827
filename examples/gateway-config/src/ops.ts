import { jsonReply, type HttpReply } from '@keygate/core';
import type { GatewayMetrics } from './metrics.js';
import type { GatewayStores } from './stores.js';

/**
 * An unauthenticated operations endpoint, framework-agnostic: each gateway mounts every one of them for `GET` (in a
 * loop, as it mounts the routes) and writes the reply as it is.
 */
export interface OpsRoute {
  readonly path: string;
  handle(): Promise<HttpReply>;
}

/**
 * `GET /healthz` (liveness: 200 while the process serves), `GET /readyz` (readiness: 503 while a configured Redis is
 * unreachable, 200 otherwise) and `GET /metrics` (Prometheus text format). None needs credentials and none shows
 * one; expose them to your orchestrator and scraper, not to the internet.
 *
 * @example
 * for (const op of opsRoutes({ stores, metrics })) app.get(op.path, async (_req, res) => writeReply(res, await op.handle()));
 */
export function opsRoutes({ stores, metrics }: { readonly stores: GatewayStores; readonly metrics: GatewayMetrics }): OpsRoute[] {
  return [
    { path: '/healthz', handle: async () => jsonReply(200, { status: 'ok' }) },
    {
      path: '/readyz',
      handle: async () =>
        stores.ready()
          ? jsonReply(200, { status: 'ready' })
          : jsonReply(503, { status: 'unavailable', detail: 'Redis is unreachable: requests that need replay or session state are refused with 503' }),
    },
    {
      path: '/metrics',
      handle: async () => ({
        status: 200,
        headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' },
        body: await metrics.registry.metrics(),
      }),
    },
  ];
}
