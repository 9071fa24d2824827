import { inqud } from '@keygate/inqud';
import type { GatewayRoute, RouteContext } from '../route.js';

export function inqudRoute({ config, stores }: RouteContext): GatewayRoute {
  const secrets = new Map(config.credentials.inqud.map((c) => [c.tokenId, { secrets: [c.secret] }]));
  const retention = config.inqudSaltRetentionMs === undefined ? {} : { saltRetentionMs: config.inqudSaltRetentionMs };
  return { prefix: '/inqud', scheme: inqud({ secrets, nonces: stores.nonces, ...retention }) };
}
