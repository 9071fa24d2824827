import { lenme } from '@keygate/lenme';
import { byKeyId } from '../credentials.js';
import type { GatewayRoute, RouteContext } from '../route.js';

/** `/lenme/*`: Lenme's headers with the vendor's default, an HMAC reusable within its ±300 s window. */
export function lenmeRoute({ config }: RouteContext): GatewayRoute {
  const secrets = new Map([...byKeyId(config.credentials.lenme, (c) => c.apiKey)].map(([key, { secrets }]) => [key, { secrets }]));
  return { prefix: '/lenme', scheme: lenme({ secrets }) };
}
