import type { GatewayRoute, RouteContext } from '../route.js';
import { inqudRoute } from './inqud.js';

/** Every vendor prefix the demo gateways serve. */
export function gatewayRoutes(context: RouteContext): GatewayRoute[] {
  return [inqudRoute(context)];
}
