import {
  createEndpointRunner, createVerifier,
  type Endpoint, type KeygateError, type Scheme, type VerifierOptions,
} from '@keygate/core';
import { requestPort } from './request-port.js';
import { toResponse } from './response.js';

export { singleHeader } from './headers.js';
export { pathWithQuery, requestPort } from './request-port.js';
export { toResponse } from './response.js';

/**
 * What verifying a Fetch `Request` gives: the verified request, or the vendor's refusal as a ready `Response`.
 *
 * @example
 * const result: KeygateResult<unknown> = await verify(request);
 * if (!result.ok) { log.warn(result.error.code); return result.response; }
 */
export type KeygateResult<P> =
  | {
      /** Verified. */
      readonly ok: true;
      /** The scheme's name. */
      readonly scheme: string;
      /** Who the request comes from: the key id, client uuid or API key, depending on the scheme. */
      readonly principal: P;
      /** The exact bytes received. */
      readonly rawBody: Uint8Array;
      /** Parsed JSON for JSON media types (by core's rules: strict UTF-8, depth limit), otherwise undefined. */
      readonly body: unknown;
    }
  | {
      /** Refused. */
      readonly ok: false;
      /** Why: never holds a secret or an expected signature. */
      readonly error: KeygateError;
      /** The scheme's vendor response, to return as it is. */
      readonly response: Response;
    };

/**
 * Verifies a Fetch `Request` with `scheme`: the body is read from `request.body` as a stream, stopped at `limit`.
 * Never throws: every failure, a store fault included, comes back as `{ ok: false, response }` holding the vendor's
 * reply. Works wherever `Request` does (Next.js route handlers, Bun.serve, Deno.serve, Hono).
 *
 * @example
 * const verify = keygate(inqud({ secrets }));
 * export async function POST(request: Request): Promise<Response> {
 *   const result = await verify(request);
 *   if (!result.ok) return result.response;
 *   return Response.json({ token: result.principal });
 * }
 */
export function keygate<P>(scheme: Scheme<P>, options: VerifierOptions = {}): (request: Request) => Promise<KeygateResult<P>> {
  const verifier = createVerifier(scheme, options);
  return async function keygateVerify(request) {
    const outcome = await verifier.verifyPort(requestPort(request));
    return outcome.ok
      ? { ok: true, scheme: scheme.name, principal: outcome.principal, rawBody: outcome.rawBody, body: outcome.body }
      : { ok: false, error: outcome.error, response: toResponse(outcome.reply) };
  };
}

/**
 * A Fetch handler for an endpoint that owns its reply (Kiiex AuthenticateUser, LogOut), with keygate's body handling.
 * Never throws: a failure is answered with the endpoint's own rejection.
 *
 * @example
 * export const POST = keygateEndpoint(kiiex({ secrets, sessionKey }).authenticateUser);
 */
export function keygateEndpoint(endpoint: Endpoint, options: VerifierOptions = {}): (request: Request) => Promise<Response> {
  const runner = createEndpointRunner(endpoint, options);
  return async function keygateEndpointHandler(request) {
    return toResponse((await runner.handlePort(requestPort(request))).reply);
  };
}
