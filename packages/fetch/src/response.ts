import type { HttpReply } from '@keygate/core';

/**
 * An empty body as zero bytes rather than null: a Fetch body made from bytes gets no Content-Type of its own, and
 * Hono's Node server then sends `Content-Length: 0` instead of an empty chunked body.
 */
const NO_BYTES = new Uint8Array(0);

/**
 * A reply (a scheme's rejection, an endpoint's answer) as a Fetch `Response` with its exact status, headers and
 * bytes. A 413 also asks to close the connection, so a client that keeps sending an oversized body is not read on.
 *
 * @example
 * return toResponse(scheme.reject(error));
 */
export function toResponse({ status, headers, body }: HttpReply): Response {
  const init: ResponseInit = { status, headers: status === 413 ? { ...headers, connection: 'close' } : { ...headers } };
  return new Response(body === undefined || body.length === 0 ? NO_BYTES : body, init);
}
