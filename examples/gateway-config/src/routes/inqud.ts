import { inqud } from '@keygate/inqud';
import { byKeyId } from '../credentials.js';
import type { GatewayRoute, RouteContext } from '../route.js';

export function inqudRoute({ config, stores }: RouteContext): GatewayRoute {
  const secrets = new Map([...byKeyId(config.credentials.inqud, (c) => c.tokenId)].map(([id, { secrets }]) => [id, { secrets }]));
  const retention = config.inqudSaltRetentionMs === undefined ? {} : { saltRetentionMs: config.inqudSaltRetentionMs };
  return { prefix: '/inqud', scheme: inqud({ secrets, nonces: stores.nonces, ...retention }) };
}
