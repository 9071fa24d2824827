import { createServer, type Server } from 'node:http';
import Koa, { type Context, type Middleware } from 'koa';
import type { HttpReply } from '@keygate/core';
import { keygate, keygateEndpoint, type KeygateState } from '@keygate/koa';
import { echo, GATEWAY_REPLIES, isEmptyReply, openScheme, type GatewayRoute, type OpsRoute } from '@keygate/gateway-config';

interface MountedRoute {
  readonly route: GatewayRoute;
  /** `prefix/`, built once rather than on every request. */
  readonly under: string;
  readonly verify: Middleware;
  readonly endpoints: ReadonlyMap<string, Middleware>;
}

function mount(route: GatewayRoute): MountedRoute {
  const endpoints = new Map((route.endpoints ?? []).map((e) => [`${e.method} ${route.prefix}${e.path}`, keygateEndpoint(e.endpoint, route.options)]));
  return { route, under: `${route.prefix}/`, verify: keygate(route.scheme, route.options), endpoints };
}

function send(ctx: Context, reply: HttpReply): void {
  ctx.status = reply.status;
  ctx.set({ ...reply.headers });
  ctx.body = reply.body ?? '';
}

function reply(ctx: Context, route: GatewayRoute): void {
  if (isEmptyReply(route, ctx.method, ctx.originalUrl)) {
    ctx.status = 200;
    ctx.body = '';
    ctx.remove('content-type');
    return;
  }
  const { scheme, principal } = ctx.state['keygate'] as KeygateState;
  const rawBody = ctx.request.rawBody as Uint8Array | undefined;
  ctx.body = echo({ scheme, principal, method: ctx.method, path: ctx.originalUrl, rawBody, parsedBody: ctx.request.body });
}

/** The Koa demo gateway: each shared route mounted with keygate's Koa adapter, and the ops endpoints. */
export function createKoaGateway(routes: readonly GatewayRoute[], ops: readonly OpsRoute[]): Server {
  const mounted = routes.map(mount);
  const opsByPath = new Map(ops.map((op) => [op.path, op]));
  const app = new Koa();
  app.silent = true;
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch {
      ctx.status = 500;
      ctx.body = GATEWAY_REPLIES.internalError;
    }
  });
  // The gateway's own routes refuse a body over the limit like every vendor route.
  const open = keygate(openScheme);
  app.use(async (ctx, next) => {
    const { path } = ctx;
    const op = ctx.method === 'GET' || ctx.method === 'HEAD' ? opsByPath.get(path) : undefined;
    if (op !== undefined) {
      return open(ctx, async () => send(ctx, await op.handle()));
    }
    const match = mounted.find(({ route, under }) => path === route.prefix || path.startsWith(under));
    if (match === undefined) {
      return open(ctx, async () => {
        ctx.status = 404;
        ctx.body = GATEWAY_REPLIES.notFound;
      });
    }
    const endpoint = match.endpoints.get(`${ctx.method} ${path}`);
    if (endpoint !== undefined) return endpoint(ctx, next);
    return match.verify(ctx, async () => reply(ctx, match.route));
  });
  return createServer(app.callback());
}
