// A demo gateway as `pnpm demo`, `demo:koa`, `demo:fastify` or `demo:hono` starts it (KEYGATE_BENCH_FRAMEWORK names
// which), but without the per-request audit hook (JSON request log line and request metrics): beside the real
// gateway, what logs and metrics cost.
import { createExpressGateway } from '@keygate/express-gateway';
import { createFastifyGateway } from '@keygate/fastify-gateway';
import { runGatewayProcess, type GatewayFactory } from '@keygate/gateway-config';
import { createHonoGateway } from '@keygate/hono-gateway';
import { createKoaGateway } from '@keygate/koa-gateway';
import { withoutAudit } from './unobserved.js';

const FACTORIES: Record<string, GatewayFactory> = {
  express: createExpressGateway,
  koa: createKoaGateway,
  fastify: createFastifyGateway,
  hono: createHonoGateway,
};

const framework = process.env['KEYGATE_BENCH_FRAMEWORK'] ?? '';
const factory = FACTORIES[framework];
if (factory === undefined) throw new Error(`KEYGATE_BENCH_FRAMEWORK must be one of ${Object.keys(FACTORIES).join(', ')}`);
runGatewayProcess(`${framework}-gateway`, (routes, ops) => factory(routes.map(withoutAudit), ops));
