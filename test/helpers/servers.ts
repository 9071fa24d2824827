import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import Koa, { type Middleware } from 'koa';
import type { Endpoint, Scheme, VerifierOptions } from '@keygate/core';
import { keygate as expressKeygate, keygateEndpoint as expressEndpoint, type KeygateExpressOptions } from '@keygate/express';
import { keygate as koaKeygate, keygateEndpoint as koaEndpoint, type KeygateKoaOptions } from '@keygate/koa';
import type { Framework } from './gateways.js';

export interface TestServer {
  readonly url: string;
  close(): Promise<void>;
}

export interface ServeOptions extends Pick<VerifierOptions, 'limit' | 'lingerBytes' | 'lingerMs' | 'onAudit'> {
  /** Express middleware mounted before keygate (a body parser, say). */
  readonly expressBefore?: RequestHandler;
  /** Koa middleware mounted before keygate. */
  readonly koaBefore?: Middleware;
  /** Replace the vendor response with a custom one. */
  readonly customError?: boolean;
  /** A handler that owns its reply, mounted at `POST /endpoint` ahead of the scheme. */
  readonly endpoint?: Endpoint;
}

export async function listen(server: Server): Promise<TestServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The same protected route on either framework: it answers what the adapter handed over (principal, parsed body,
 * raw bytes as base64), so one table of cases can check both adapters alike.
 */
export function serve(framework: Framework, scheme: Scheme<unknown>, options: ServeOptions = {}): Promise<TestServer> {
  return listen(framework === 'express' ? expressServer(scheme, options) : koaServer(scheme, options));
}

/** The options every adapter call of a test server passes through to core, whatever the framework. */
function verifierOptions({ limit, lingerBytes, lingerMs, onAudit }: ServeOptions): VerifierOptions {
  return {
    ...(limit !== undefined ? { limit } : {}), ...(lingerBytes !== undefined ? { lingerBytes } : {}), ...(lingerMs !== undefined ? { lingerMs } : {}),
    ...(onAudit !== undefined ? { onAudit } : {}),
  };
}

function expressServer(scheme: Scheme<unknown>, options: ServeOptions): Server {
  const app = express();
  if (options.expressBefore) app.use(options.expressBefore);
  const keygateOptions: KeygateExpressOptions = {
    ...verifierOptions(options),
    ...(options.customError ? { onError: (error, _req, res) => void res.status(418).json({ custom: error.code }) } : {}),
  };
  if (options.endpoint) app.post('/endpoint', expressEndpoint(options.endpoint, verifierOptions(options)));
  app.use(expressKeygate(scheme, keygateOptions), (req, res) => {
    res.json({ principal: req.keygate?.principal, body: req.body ?? null, raw: req.rawBody?.toString('base64') });
  });
  return createServer(app);
}

function koaServer(scheme: Scheme<unknown>, options: ServeOptions): Server {
  const app = new Koa();
  app.silent = true;
  if (options.koaBefore) app.use(options.koaBefore);
  const keygateOptions: KeygateKoaOptions = {
    ...verifierOptions(options),
    ...(options.customError
      ? {
          onError: (error, ctx) => {
            ctx.status = 418;
            ctx.body = { custom: error.code };
          },
        }
      : {}),
  };
  if (options.endpoint) {
    const endpoint = koaEndpoint(options.endpoint, verifierOptions(options));
    app.use((ctx, next) => (ctx.method === 'POST' && ctx.path === '/endpoint' ? endpoint(ctx, next) : next()));
  }
  app.use(koaKeygate(scheme, keygateOptions));
  app.use((ctx) => {
    const raw = ctx.request.rawBody as Buffer | undefined;
    ctx.body = { principal: ctx.state['keygate']?.principal, body: ctx.request.body ?? null, raw: raw?.toString('base64') };
  });
  return createServer(app.callback());
}
