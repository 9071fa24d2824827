import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import express, { type RequestHandler } from 'express';
import Fastify, { type preParsingAsyncHookHandler } from 'fastify';
import { Hono, type MiddlewareHandler } from 'hono';
import Koa, { type Middleware } from 'koa';
import type { Endpoint, Scheme, VerifierOptions } from '@keygate/core';
import { keygate as expressKeygate, keygateEndpoint as expressEndpoint } from '@keygate/express';
import { keygate as fastifyKeygate, keygateEndpoint as fastifyEndpoint } from '@keygate/fastify';
import { keygate as honoKeygate, keygateEndpoint as honoEndpoint, type KeygateEnv } from '@keygate/fetch/hono';
import { keygate as koaKeygate, keygateEndpoint as koaEndpoint } from '@keygate/koa';
import { FRAMEWORKS, type Framework } from './frameworks.js';

/**
 * Every adapter the shared table runs against: the four frameworks, and `fetch`, Hono's middleware reading the Fetch
 * `Request` alone, as it does where Hono runs without Node's objects (Bun, Deno, Workers): served by
 * `@hono/node-server` with its Node bindings withheld, so the port path is tested over real HTTP too.
 */
export type Adapter = Framework | 'fetch';
export const ADAPTERS: readonly Adapter[] = [...FRAMEWORKS, 'fetch'];

export interface TestServer {
  readonly url: string;
  close(): Promise<void>;
}

/** What each framework mounts before keygate (a body parser, say): its own kind of middleware. */
export interface Before {
  readonly express?: RequestHandler;
  readonly koa?: Middleware;
  /** A preParsing hook of the app, which runs before the hook of keygate's scope. */
  readonly fastify?: preParsingAsyncHookHandler;
  readonly hono?: MiddlewareHandler;
}

export interface ServeOptions extends Pick<VerifierOptions, 'limit' | 'lingerBytes' | 'lingerMs' | 'onAudit'> {
  /** Middleware mounted before keygate, per framework. */
  readonly before?: Before;
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

/** What an example module exports: an app of any of the frameworks, or a Fetch route handler. */
export interface ExampleModule {
  readonly app?: unknown;
  readonly POST?: (request: Request) => Promise<Response>;
}

/** Serves an example the way its framework is served: Express, Koa, a Fastify instance, a Hono app or a Fetch handler. */
export async function serveExample(example: ExampleModule): Promise<TestServer> {
  const app = example.app as Record<string, unknown> | undefined;
  if (example.POST !== undefined) return listen(createAdaptorServer({ fetch: example.POST }) as Server);
  if (typeof app?.['fetch'] === 'function') return listen(createAdaptorServer({ fetch: app['fetch'] as (r: Request) => Response }) as Server);
  if (typeof app?.['ready'] === 'function') {
    await (app['ready'] as () => Promise<unknown>)();
    return listen(app['server'] as Server);
  }
  if (typeof app?.['callback'] === 'function') return listen(createServer((app['callback'] as () => Parameters<typeof createServer>[0])()));
  return listen(createServer(app as Parameters<typeof createServer>[0]));
}

/** What the protected route answers: what the adapter handed over, the raw bytes as base64. */
function handedOver(principal: unknown, body: unknown, raw: Uint8Array | undefined): Record<string, unknown> {
  return { principal, body: body ?? null, raw: raw === undefined ? undefined : Buffer.from(raw).toString('base64') };
}

/** The options every adapter call of a test server passes through to core, whatever the framework. */
function verifierOptions({ limit, lingerBytes, lingerMs, onAudit }: ServeOptions): VerifierOptions {
  return {
    ...(limit !== undefined ? { limit } : {}), ...(lingerBytes !== undefined ? { lingerBytes } : {}), ...(lingerMs !== undefined ? { lingerMs } : {}),
    ...(onAudit !== undefined ? { onAudit } : {}),
  };
}

const SERVERS: Record<Adapter, (scheme: Scheme<unknown>, options: ServeOptions, passed: VerifierOptions) => Server | Promise<Server>> = {
  express: expressServer,
  koa: koaServer,
  fastify: fastifyServer,
  hono: (scheme, options, passed) => honoServer(scheme, options, passed, true),
  fetch: (scheme, options, passed) => honoServer(scheme, options, passed, false),
};

/**
 * The same protected route on any of the frameworks: it answers what the adapter handed over (principal, parsed body,
 * raw bytes as base64), so one table of cases can check every adapter alike.
 */
export async function serve(framework: Adapter, scheme: Scheme<unknown>, options: ServeOptions = {}): Promise<TestServer> {
  return listen(await SERVERS[framework](scheme, options, verifierOptions(options)));
}

function expressServer(scheme: Scheme<unknown>, options: ServeOptions, passed: VerifierOptions): Server {
  const app = express();
  if (options.before?.express) app.use(options.before.express);
  if (options.endpoint) app.post('/endpoint', expressEndpoint(options.endpoint, passed));
  const onError = options.customError ? { onError: (error: { code: string }, _req: unknown, res: express.Response) => void res.status(418).json({ custom: error.code }) } : {};
  app.use(expressKeygate(scheme, { ...passed, ...onError }), (req, res) => {
    res.json(handedOver(req.keygate?.principal, req.body, req.rawBody));
  });
  return createServer(app);
}

function koaServer(scheme: Scheme<unknown>, options: ServeOptions, passed: VerifierOptions): Server {
  const app = new Koa();
  app.silent = true;
  if (options.before?.koa) app.use(options.before.koa);
  if (options.endpoint) {
    const endpoint = koaEndpoint(options.endpoint, passed);
    app.use((ctx, next) => (ctx.method === 'POST' && ctx.path === '/endpoint' ? endpoint(ctx, next) : next()));
  }
  const onError = options.customError
    ? {
        onError: (error: { code: string }, ctx: Koa.Context) => {
          ctx.status = 418;
          ctx.body = { custom: error.code };
        },
      }
    : {};
  app.use(koaKeygate(scheme, { ...passed, ...onError }));
  app.use((ctx) => {
    ctx.body = handedOver(ctx.state['keygate']?.principal, ctx.request.body, ctx.request.rawBody as Buffer | undefined);
  });
  return createServer(app.callback());
}

async function fastifyServer(scheme: Scheme<unknown>, options: ServeOptions, passed: VerifierOptions): Promise<Server> {
  const app = Fastify();
  if (options.before?.fastify) app.addHook('preParsing', options.before.fastify);
  if (options.endpoint) app.post('/endpoint', fastifyEndpoint(options.endpoint, passed));
  const onError = options.customError
    ? { onError: (error: { code: string }, _request: unknown, reply: { code(s: number): { send(b: unknown): unknown } }) => void reply.code(418).send({ custom: error.code }) }
    : {};
  app.register(async (scope) => {
    await scope.register(fastifyKeygate, { ...passed, ...onError, scheme });
    scope.all('*', async (request) => handedOver(request.keygate?.principal, request.body, request.rawBody));
  });
  await app.ready();
  return app.server;
}

function honoServer(scheme: Scheme<unknown>, options: ServeOptions, passed: VerifierOptions, nodeBindings: boolean): Server {
  const app = new Hono<KeygateEnv>();
  if (options.before?.hono) app.use(options.before.hono);
  if (options.endpoint) app.post('/endpoint', honoEndpoint(options.endpoint, passed));
  const onError = options.customError ? { onError: (error: { code: string }) => Response.json({ custom: error.code }, { status: 418 }) } : {};
  app.use(honoKeygate(scheme, { ...passed, ...onError }));
  app.all('*', (c) => c.json(handedOver(c.var.keygate.principal, c.var.keygate.body, c.var.keygate.rawBody)));
  // Without the second argument (the bindings) the app sees no Node objects, as on any other runtime. keygate settles
  // a refused body itself (packages/fetch README, "Hono on Node"), so @hono/node-server's clean-up is off, as in the gateway.
  return createAdaptorServer({ fetch: nodeBindings ? app.fetch : (request: Request) => app.fetch(request), autoCleanupIncoming: false }) as Server;
}
