import type { Context, Middleware, Next } from 'koa';
import {
  createEndpointRunner, createVerifier,
  type Endpoint, type HttpReply, type KeygateError, type RequestSource, type Scheme, type VerifierOptions,
} from '@keygate/core';

declare module 'koa' {
  interface Request {
    /** The exact bytes received, set by keygate after a successful verification. */
    rawBody?: unknown;
    body?: unknown;
  }
}

/** What `keygate()` puts in `ctx.state.keygate` once a request verifies. */
export interface KeygateState {
  /** The scheme's name (`inqud`, `valiant`, …). */
  readonly scheme: string;
  /** Who the request comes from: the key id, client uuid or API key, depending on the scheme. */
  readonly principal: unknown;
}

/** Options of the Koa `keygate()` middleware: the verifier options (`limit`) and `onError`. */
export interface KeygateKoaOptions extends VerifierOptions {
  /** Answer failures yourself instead of with the vendor's response. */
  readonly onError?: (error: KeygateError, ctx: Context, next: Next) => unknown;
}

const CONSUMED_HINT =
  'mount keygate before the body parser (koa-bodyparser, @koa/bodyparser), or have it save the bytes as a Buffer in ctx.request.rawBody';

function source(ctx: Context): RequestSource {
  return { req: ctx.req, res: ctx.res, url: ctx.originalUrl, saved: ctx.request.rawBody, consumedHint: CONSUMED_HINT };
}

function send(ctx: Context, reply: HttpReply): void {
  ctx.status = reply.status;
  if (reply.headers !== undefined) ctx.set(reply.headers);
  if (reply.body === undefined || reply.body.length === 0) {
    ctx.body = '';
    ctx.remove('content-type');
  } else {
    ctx.body = typeof reply.body === 'string' ? reply.body : Buffer.from(reply.body);
    if (reply.headers?.['content-type'] === undefined) ctx.remove('content-type');
    else ctx.type = reply.headers['content-type'];
  }
}

/**
 * Koa middleware that verifies each request with `scheme`. On success downstream middleware gets
 * `ctx.request.rawBody` (the exact bytes), `ctx.request.body` (parsed JSON for JSON media types) and
 * `ctx.state.keygate = { scheme, principal }`.
 *
 * @example
 * app.use(keygate(inqud({ secrets })));
 * app.use((ctx) => { ctx.body = { token: ctx.state.keygate.principal } });
 */
export function keygate<P>(scheme: Scheme<P>, options: KeygateKoaOptions = {}): Middleware {
  const verifier = createVerifier(scheme, options);
  const { onError } = options;
  return async function keygateMiddleware(ctx, next) {
    const outcome = await verifier.verify(source(ctx));
    if (outcome.ok) {
      ctx.request.rawBody = outcome.rawBody;
      ctx.request.body = outcome.body;
      ctx.state['keygate'] = { scheme: scheme.name, principal: outcome.principal } satisfies KeygateState;
      await next();
    } else if (onError) {
      await onError(outcome.error, ctx, next);
    } else {
      send(ctx, outcome.reply);
    }
  };
}

/**
 * Koa middleware for an endpoint that owns its reply (Kiiex AuthenticateUser, LogOut), with keygate's body handling.
 *
 * @example
 * router.post('/kiiex/AuthenticateUser', keygateEndpoint(kiiex.authenticateUser));
 */
export function keygateEndpoint(endpoint: Endpoint, options: VerifierOptions = {}): Middleware {
  const runner = createEndpointRunner(endpoint, options);
  return async function keygateEndpointHandler(ctx) {
    send(ctx, (await runner.handle(source(ctx))).reply);
  };
}
