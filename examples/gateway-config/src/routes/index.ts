import type { GatewayRoute, RouteContext } from '../route.js';
import { inqudRoute } from './inqud.js';
import { kiiexRoute } from './kiiex.js';
import { lenmeRoute } from './lenme.js';
import { valiantRoute } from './valiant.js';

/** Every vendor prefix the demo gateways serve. */
export function gatewayRoutes(context: RouteContext): GatewayRoute[] {
  return [inqudRoute(context), valiantRoute(context), kiiexRoute(context), lenmeRoute(context)];
}
