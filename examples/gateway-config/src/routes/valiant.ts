import { valiant } from '@keygate/valiant';
import type { GatewayRoute, RouteContext } from '../route.js';

/** `/valiant/*`: Valiant's headers; `GET /valiant/api/v1/authenticate` is the vendor's 200-empty-body check. */
export function valiantRoute({ config }: RouteContext): GatewayRoute {
  const secrets = new Map(config.credentials.valiant.map((c) => [c.id, { key: c.key, secrets: [c.secret] }]));
  return {
    prefix: '/valiant',
    scheme: valiant({ secrets }),
    emptyReplies: [{ method: 'GET', path: '/api/v1/authenticate' }],
  };
}
