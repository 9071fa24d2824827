import type { Context, MiddlewareHandler } from 'hono';
import {
  createEndpointRunner, createVerifier,
  type Endpoint, type KeygateError, type RequestPort, type RequestSource, type Scheme, type VerifierOptions,
} from '@keygate/core';
import { nodeBindings, type NodeBindings } from './node-bindings.js';
import { pathWithQuery, requestPort } from './request-port.js';
import { toResponse } from './response.js';

/**
 * What a verified request carries in `c.var.keygate`.
 *
 * @example
 * app.post('/inqud/*', (c) => c.json({ token: c.var.keygate.principal, bytes: c.var.keygate.rawBody.byteLength }));
 */
export interface KeygateVariables {
  /** The scheme's name (`inqud`, `valiant`, …). */
  readonly scheme: string;
  /** Who the request comes from: the key id, client uuid or API key, depending on the scheme. */
  readonly principal: unknown;
  /** The exact bytes received. */
  readonly rawBody: Uint8Array;
  /** Parsed JSON for JSON media types (by core's rules: strict UTF-8, depth limit), otherwise undefined. */
  readonly body: unknown;
}

/**
 * The Hono environment keygate's middleware sets, for typing `c.var.keygate` in routes.
 *
 * @example
 * const app = new Hono<KeygateEnv>();
 */
export interface KeygateEnv {
  /** The variables keygate sets on the context. */
  Variables: {
    /** What keygate verified: `c.var.keygate`. */
    keygate: KeygateVariables;
  };
}

/**
 * Options of the Hono middleware: keygate's body `limit`, `onError`, and every other `VerifierOptions` field, passed to
 * core as it is.
 *
 * @example
 * app.use('/lenme/*', keygate(lenme({ secrets }), { limit: '256kb', onError: (error, c) => c.json({ detail: error.code }, 401) }));
 */
export interface KeygateHonoOptions extends VerifierOptions {
  /** Answer failures yourself instead of with the vendor's response. */
  readonly onError?: (error: KeygateError, c: Context) => Response | Promise<Response>;
}

const CONSUMED_HINT =
  'mount keygate before validators and anything else that reads the body (c.req.json(), c.req.text(), c.req.parseBody()); only bytes kept by c.req.arrayBuffer() can be verified';

/** Hono's body cache as it is at run time: promises of each body form read so far (its types name the values). */
function bodyCache(c: Context): { arrayBuffer?: Promise<ArrayBuffer> } {
  return c.req.bodyCache as unknown as { arrayBuffer?: Promise<ArrayBuffer> };
}

/** Bytes kept by an earlier `c.req.arrayBuffer()` are the exact body; a cached text, JSON or form is not. */
function honoPort(c: Context): RequestPort {
  return requestPort(c.req.raw, CONSUMED_HINT, bodyCache(c).arrayBuffer);
}

/**
 * On `@hono/node-server`, Node's own request and response, as the Express, Koa and Fastify adapters pass them: the
 * headers from `rawHeaders` (a repeated header is seen as such, not guessed from ", "), the body read with core's
 * Node reader, and after an early answer core's bounded discard or lingering close, so a client still uploading reads
 * its 413. Through the Fetch API alone that last part cannot be had: a `Connection: close` answer makes Node's server
 * drop the connection under such a client.
 */
function nodeSource(c: Context, { incoming, outgoing }: NodeBindings, saved: unknown): RequestSource {
  return { req: incoming, res: outgoing, url: incoming.url ?? pathWithQuery(c.req.url), saved, consumedHint: CONSUMED_HINT };
}

/**
 * Runs core through Node's objects where Hono runs on `@hono/node-server`, through the Fetch `Request` elsewhere.
 * Bytes an earlier `c.req.arrayBuffer()` kept (or a serverless wrapper's `incoming.rawBody`) are verified as they are.
 */
function run<T>(c: Context, node: NodeBindings | undefined, viaNode: (source: RequestSource) => Promise<T>, viaPort: (port: RequestPort) => Promise<T>): Promise<T> {
  if (node === undefined) return viaPort(honoPort(c));
  const cached = bodyCache(c).arrayBuffer;
  if (cached === undefined) return viaNode(nodeSource(c, node, node.incoming.rawBody));
  return cached.then((bytes) => viaNode(nodeSource(c, node, new Uint8Array(bytes))));
}

/**
 * Puts the verified bytes in Hono's body cache, so `c.req.json()` and the rest read them instead of a consumed stream.
 * The ArrayBuffer is made when a reader first asks: a small body is a slice of Node's shared buffer pool, so making
 * it means a copy, which the profile of the Hono gateway showed at about 3 µs a request when made for every request.
 */
function offerBytes(c: Context, rawBody: Uint8Array): void {
  const cache = bodyCache(c);
  if (cache.arrayBuffer !== undefined) return;
  let bytes: Promise<ArrayBuffer> | undefined;
  Object.defineProperty(cache, 'arrayBuffer', {
    configurable: true,
    enumerable: true, // Hono finds a cached form with for…in
    get: () => (bytes ??= Promise.resolve(arrayBufferOf(rawBody))),
    set: (value: Promise<ArrayBuffer>) => void Object.defineProperty(cache, 'arrayBuffer', { value, writable: true, enumerable: true, configurable: true }),
  });
}

function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  const { buffer, byteOffset, byteLength } = bytes;
  return (byteOffset === 0 && byteLength === buffer.byteLength ? buffer : buffer.slice(byteOffset, byteOffset + byteLength)) as ArrayBuffer;
}

/**
 * Hono middleware that verifies each request with `scheme`. On success it sets `c.var.keygate = { scheme, principal,
 * rawBody, body }` and keeps the exact bytes in Hono's body cache, so `c.req.json()`, `c.req.text()` and validators
 * downstream read the verified body instead of failing on a consumed stream. On failure it answers with the vendor's
 * response and does not call `next`.
 *
 * @example
 * const app = new Hono<KeygateEnv>();
 * app.use('/inqud/*', keygate(inqud({ secrets })));
 * app.post('/inqud/v1/user/payments/payout', (c) => c.json({ token: c.var.keygate.principal }));
 */
export function keygate<P>(scheme: Scheme<P>, options: KeygateHonoOptions = {}): MiddlewareHandler<KeygateEnv> {
  const verifier = createVerifier(scheme, options);
  const { onError } = options;
  return async function keygateMiddleware(c, next) {
    const node = nodeBindings(c.env);
    const outcome = await run(c, node, (source) => verifier.verify(source), (port) => verifier.verifyPort(port));
    if (!outcome.ok) return onError !== undefined ? onError(outcome.error, c) : toResponse(outcome.reply);
    const { rawBody, body } = outcome;
    c.set('keygate', { scheme: scheme.name, principal: outcome.principal, rawBody, body });
    offerBytes(c, rawBody);
    // Where @hono/node-server looks for a body it must not read from the socket: a c.req.raw made later (a proxy
    // passing the request on) then carries these bytes instead of an empty stream.
    if (node !== undefined && node.incoming.rawBody === undefined) node.incoming.rawBody = rawBody;
    await next();
    return undefined;
  };
}

/**
 * Hono handler for an endpoint that owns its reply (Kiiex AuthenticateUser, LogOut), with keygate's body handling.
 *
 * @example
 * app.post('/ap/AuthenticateUser', keygateEndpoint(authenticateUser));
 */
export function keygateEndpoint(endpoint: Endpoint, options: VerifierOptions = {}): (c: Context) => Promise<Response> {
  const runner = createEndpointRunner(endpoint, options);
  return async function keygateEndpointHandler(c) {
    const done = await run(c, nodeBindings(c.env), (source) => runner.handle(source), (port) => runner.handlePort(port));
    return toResponse(done.reply);
  };
}
