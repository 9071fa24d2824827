// The Koa demo gateway as `pnpm demo:koa` starts it, but without the per-request audit hook (JSON request log line
// and request metrics): beside the real gateway, what logs and metrics cost.
import { createKoaGateway } from '@keygate/koa-gateway';
import { runGatewayProcess } from '@keygate/gateway-config';
import { withoutAudit } from './unobserved.js';

runGatewayProcess('koa-gateway', (routes, ops) => createKoaGateway(routes.map(withoutAudit), ops));
