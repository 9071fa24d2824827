import type { Server } from 'node:http';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { keygate, keygateEndpoint, sendReply } from '@keygate/fastify';
import { echo, GATEWAY_REPLIES, isEmptyReply, openScheme, type GatewayRoute, type OpsRoute } from '@keygate/gateway-config';

function answer(route: GatewayRoute) {
  return async function echoRoute(request: FastifyRequest, reply: FastifyReply) {
    if (isEmptyReply(route, request.method, request.url)) return reply.code(200).send();
    const { scheme = '', principal } = request.keygate ?? {};
    return echo({ scheme, principal, method: request.method, path: request.url, rawBody: request.rawBody, parsedBody: request.body });
  };
}

/**
 * The Fastify demo gateway: each shared route is a prefixed scope holding its endpoints, and a child scope where the
 * keygate plugin verifies every other path; the ops endpoints and the 404 live in a scope of the open scheme, so they
 * keep keygate's body rules too.
 */
export async function createFastifyGateway(routes: readonly GatewayRoute[], ops: readonly OpsRoute[]): Promise<Server> {
  const app = Fastify({ logger: false });
  app.register(async (open) => {
    await open.register(keygate, { scheme: openScheme });
    for (const op of ops) open.get(op.path, async (_request, reply) => sendReply(reply, await op.handle()));
    open.all('*', async (_request, reply) => reply.code(404).send(GATEWAY_REPLIES.notFound));
  });
  for (const route of routes) {
    app.register(
      async (prefix) => {
        for (const { path, endpoint } of route.endpoints ?? []) prefix.post(path, keygateEndpoint(endpoint, route.options));
        await prefix.register(async (verified) => {
          await verified.register(keygate, { ...route.options, scheme: route.scheme });
          verified.all('', answer(route));
          verified.all('/*', answer(route));
        });
      },
      { prefix: route.prefix },
    );
  }
  app.setNotFoundHandler(async (_request, reply) => reply.code(404).send(GATEWAY_REPLIES.notFound));
  app.setErrorHandler(async (error: { statusCode?: number }, _request, reply) => {
    // Fastify's own refusals (a malformed URL, a Content-Type that is no media type) keep their 4xx, without detail.
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    return reply.code(status).send(status === 500 ? GATEWAY_REPLIES.internalError : { code: 'bad_request', message: 'the request could not be processed' });
  });
  await app.ready();
  return app.server;
}
