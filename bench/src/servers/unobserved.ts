import type { GatewayRoute } from '@keygate/gateway-config';

/**
 * The route without its adapter options, so no `onAudit` hook runs: the gateway then writes no request log line
 * and updates no request metric. Everything else (start-up, stores, ops endpoints) is the demo gateway's own.
 */
export function withoutAudit({ options: _options, ...route }: GatewayRoute): GatewayRoute {
  return route;
}
