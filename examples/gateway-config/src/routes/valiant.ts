import { valiant } from '@keygate/valiant';
import { byKeyId } from '../credentials.js';
import type { GatewayRoute, RouteContext } from '../route.js';

/** `/valiant/*`: Valiant's headers; `GET /valiant/api/v1/authenticate` is the vendor's 200-empty-body check. */
export function valiantRoute({ config }: RouteContext): GatewayRoute {
  const grouped = byKeyId(config.credentials.valiant, (c) => c.id);
  const secrets = new Map([...grouped].map(([id, { first, secrets }]) => [id, { key: first.key, secrets }]));
  return {
    prefix: '/valiant',
    scheme: valiant({ secrets }),
    emptyReplies: [{ method: 'GET', path: '/api/v1/authenticate' }],
  };
}
