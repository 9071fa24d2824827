import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { pathWithQuery, toResponse } from '@keygate/fetch';
import { keygate, keygateEndpoint, type KeygateEnv } from '@keygate/fetch/hono';
import { echo, GATEWAY_REPLIES, isEmptyReply, openScheme, type GatewayRoute, type OpsRoute } from '@keygate/gateway-config';

/** The charset the other gateways' JSON carries (Hono's `c.json` says only `application/json`). */
const JSON_UTF8 = { 'content-type': 'application/json; charset=utf-8' };

function answer(route: GatewayRoute) {
  return function echoRoute(c: Context<KeygateEnv>): Response {
    const path = pathWithQuery(c.req.url);
    if (isEmptyReply(route, c.req.method, path)) return toResponse({ status: 200 });
    const { scheme, principal, rawBody, body } = c.var.keygate;
    return c.json(echo({ scheme, principal, method: c.req.method, path, rawBody, parsedBody: body }), 200, JSON_UTF8);
  };
}

/**
 * The Hono demo gateway on @hono/node-server: the ops endpoints, then each shared route mounted with keygate's Hono
 * middleware, then the 404; the ops endpoints and the 404 go through the open scheme, so they keep keygate's body
 * rules too.
 */
export function createHonoGateway(routes: readonly GatewayRoute[], ops: readonly OpsRoute[]): Server {
  const app = new Hono<KeygateEnv>();
  const open = keygate(openScheme);
  for (const op of ops) app.get(op.path, open, async () => toResponse(await op.handle()));
  for (const route of routes) {
    // Registered first, so they answer before the prefix's scheme would run.
    for (const { path, endpoint } of route.endpoints ?? []) app.post(route.prefix + path, keygateEndpoint(endpoint, route.options));
    app.all(`${route.prefix}/*`, keygate(route.scheme, route.options), answer(route));
  }
  // Every route above answers without calling next, so only a path none serves reaches this one.
  app.all('*', open, (c) => c.json(GATEWAY_REPLIES.notFound, 404, JSON_UTF8));
  app.onError((_error, c) => c.json(GATEWAY_REPLIES.internalError, 500, JSON_UTF8));
  // keygate settles a body it refused (bounded discard, lingering close: lingerBytes / lingerMs); @hono/node-server's
  // own clean-up would drain the same request with bounds of its own (500 ms, 64 MiB) and then close the connection.
  return createAdaptorServer({ fetch: app.fetch, autoCleanupIncoming: false }) as Server;
}
