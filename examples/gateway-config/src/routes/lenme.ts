import { lenme } from '@keygate/lenme';
import type { GatewayRoute, RouteContext } from '../route.js';

/** `/lenme/*`: Lenme's headers with the vendor's default, an HMAC reusable within its ±300 s window. */
export function lenmeRoute({ config }: RouteContext): GatewayRoute {
  const secrets = new Map(config.credentials.lenme.map((c) => [c.apiKey, { secrets: [c.secret] }]));
  return { prefix: '/lenme', scheme: lenme({ secrets }) };
}
