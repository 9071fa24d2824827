import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptionsWithHandler } from 'fastify';
import fp from 'fastify-plugin';
import {
  createEndpointRunner, createVerifier, KeygateError,
  type Endpoint, type HttpReply, type RequestSource, type Scheme, type VerifierOptions,
} from '@keygate/core';

/**
 * What a verified request carries in `request.keygate`.
 *
 * @example
 * scope.get('/me', async (request) => ({ key: request.keygate?.principal, scheme: request.keygate?.scheme }));
 */
export interface KeygateRequestState {
  /** The scheme's name (`inqud`, `valiant`, …). */
  readonly scheme: string;
  /** Who the request comes from: the key id, client uuid or API key, depending on the scheme. */
  readonly principal: unknown;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes received, set by keygate after a successful verification. */
    rawBody?: Buffer;
    /** Set by keygate after a successful verification. */
    keygate?: KeygateRequestState;
  }
}

/**
 * Options of the `keygate` plugin: the scheme, keygate's body `limit` (Fastify's `bodyLimit` does not apply in the
 * scope) and every other `VerifierOptions` field, passed to core as it is.
 *
 * @example
 * await scope.register(keygate, { scheme: lenme({ secrets }), limit: '256kb' } satisfies KeygateFastifyOptions);
 */
export interface KeygateFastifyOptions extends VerifierOptions {
  /** The scheme every route of the scope is verified with. */
  readonly scheme: Scheme<unknown>;
  /**
   * Answer failures yourself with `reply.code(…).send(…)` instead of the vendor's response. If it leaves the reply
   * unsent, keygate sends the vendor's: a refused request never reaches the route.
   */
  readonly onError?: (error: KeygateError, request: FastifyRequest, reply: FastifyReply) => void | Promise<void>;
}

const CONSUMED_HINT =
  'register keygate before any preParsing hook that reads request.raw, or have that hook save the bytes as a Buffer in request.rawBody';

/** With `res`, core settles a body a failure left unread (bounded discard or lingering close) before keygate answers. */
function source(request: FastifyRequest, reply: FastifyReply): RequestSource {
  return { req: request.raw, res: reply.raw, url: request.url, saved: request.rawBody, consumedHint: CONSUMED_HINT };
}

/**
 * Sends a keygate reply (a scheme's rejection, an endpoint's answer, `scheme.reject(error)` in an `onError`) through
 * Fastify's reply, with its exact status, headers and bytes.
 *
 * @example
 * onError: (error, request, reply) => { request.log.warn(error.code); sendReply(reply, inqudScheme.reject(error)); }
 */
export function sendReply(reply: FastifyReply, { status, headers, body }: HttpReply): FastifyReply {
  reply.code(status);
  if (headers !== undefined) reply.headers(headers);
  // No payload at all for an empty body: Fastify would label an empty string text/plain.
  return body === undefined || body.length === 0 ? reply.send() : reply.send(body);
}

/**
 * Where keygate verifies, Fastify must not read the body: keygate reads the exact bytes itself, in its preParsing
 * hook. So the scope's content-type parsers are replaced by one that hands over what keygate parsed (JSON by
 * core's rules, undefined otherwise) and never touches the stream. Outside the scope, Fastify's parsers are untouched.
 */
function ownBodyParsing(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', function keygateParsedBody(request, _payload, done) {
    done(null, request.body);
  });
  for (const name of ['rawBody', 'keygate'] as const) {
    // Declared once per request prototype, so requests keep one shape (Fastify's decorator rule).
    if (!fastify.hasRequestDecorator(name)) fastify.decorateRequest(name, undefined);
  }
}

async function keygatePlugin(fastify: FastifyInstance, options: KeygateFastifyOptions): Promise<void> {
  const { scheme, onError } = options;
  const verifier = createVerifier(scheme, options);
  ownBodyParsing(fastify);
  fastify.addHook('preParsing', async function keygatePreParsing(request, reply) {
    const outcome = await verifier.verify(source(request, reply));
    if (outcome.ok) {
      request.rawBody = outcome.rawBody;
      request.body = outcome.body;
      request.keygate = { scheme: scheme.name, principal: outcome.principal };
      return;
    }
    if (onError !== undefined) await onError(outcome.error, request, reply);
    if (!reply.sent) sendReply(reply, outcome.reply);
  });
}

/**
 * Fastify plugin that verifies every route of the scope it is registered in with `options.scheme` (it uses
 * fastify-plugin, so it applies to that scope, not to a child of its own): register it inside a prefixed scope for a
 * whole vendor prefix, or in a scope holding one route. On success the route gets `request.rawBody` (the exact bytes),
 * `request.body` (parsed JSON for JSON media types, otherwise undefined) and `request.keygate = { scheme, principal }`;
 * on failure keygate answers with the vendor's response and the route never runs.
 *
 * @example
 * app.register(async (scope) => {
 *   await scope.register(keygate, { scheme: inqud({ secrets }) });
 *   scope.post('/v1/user/payments/payout', async (request) => ({ token: request.keygate?.principal }));
 * }, { prefix: '/inqud' });
 */
export const keygate = fp(keygatePlugin, { fastify: '5.x', name: '@keygate/fastify' });

/**
 * Route options for an endpoint that owns its reply (Kiiex AuthenticateUser, LogOut), with keygate's body handling.
 * It answers in the route's preParsing hook, before Fastify parses anything, so it needs no scope of its own; mount it
 * outside the scope of a scheme (whose hook would run first).
 *
 * @example
 * app.post('/ap/AuthenticateUser', keygateEndpoint(authenticateUser));
 */
export function keygateEndpoint(endpoint: Endpoint, options: VerifierOptions = {}): RouteShorthandOptionsWithHandler {
  const runner = createEndpointRunner(endpoint, options);
  return {
    preParsing: async function keygateEndpointPreParsing(request, reply) {
      sendReply(reply, (await runner.handle(source(request, reply))).reply);
    },
    handler(_request, reply) {
      // Not reached: the preParsing hook above always replies. Should a hook before it change that, refuse.
      sendReply(reply, endpoint.reject(new KeygateError('internal_error', 'the endpoint was not answered before body parsing')));
    },
  };
}
