import { createServer, type Server } from 'node:http';
import express, { type ErrorRequestHandler, type Request } from 'express';
import { writeReply } from '@keygate/core';
import { keygate, keygateEndpoint } from '@keygate/express';
import { echo, GATEWAY_REPLIES, isEmptyReply, openScheme, type GatewayRoute, type OpsRoute } from '@keygate/gateway-config';

function echoOf(req: Request): Record<string, unknown> {
  const { scheme = '', principal } = req.keygate ?? {};
  return echo({ scheme, principal, method: req.method, path: req.originalUrl, rawBody: req.rawBody, parsedBody: req.body });
}

/** The Express demo gateway: each shared route mounted with keygate's Express adapter, and the ops endpoints. */
export function createExpressGateway(routes: readonly GatewayRoute[], ops: readonly OpsRoute[]): Server {
  const app = express();
  app.disable('x-powered-by');
  // Match paths exactly, as the Koa gateway does: '/kiiex/authenticateuser' or '/kiiex/AuthenticateUser/' is not
  // the AuthenticateUser endpoint on either framework.
  app.enable('case sensitive routing');
  app.enable('strict routing');
  // The gateway's own routes refuse a body over the limit like every vendor route.
  const open = keygate(openScheme);
  for (const op of ops) {
    app.get(op.path, open, (_req, res, next) => {
      op.handle().then((reply) => writeReply(res, reply), next);
    });
  }
  for (const route of routes) {
    for (const { path, endpoint } of route.endpoints ?? []) app.post(route.prefix + path, keygateEndpoint(endpoint, route.options));
    app.use(route.prefix, keygate(route.scheme, route.options), (req, res) => {
      if (isEmptyReply(route, req.method, req.originalUrl)) res.status(200).end();
      else res.json(echoOf(req));
    });
  }
  app.use(open, (_req, res) => {
    res.status(404).json(GATEWAY_REPLIES.notFound);
  });
  const internalError: ErrorRequestHandler = (_error, _req, res, _next) => {
    res.status(500).json(GATEWAY_REPLIES.internalError);
  };
  app.use(internalError);
  return createServer(app);
}
