// The Express demo gateway as `pnpm demo` starts it, but without the per-request audit hook (JSON request log line
// and request metrics): beside the real gateway, what logs and metrics cost.
import { createExpressGateway } from '@keygate/express-gateway';
import { runGatewayProcess } from '@keygate/gateway-config';
import { withoutAudit } from './unobserved.js';

runGatewayProcess('express-gateway', (routes, ops) => createExpressGateway(routes.map(withoutAudit), ops));
