import type { HttpReply } from '@keygate/core';

/**
 * An empty body as zero bytes rather than null: a Fetch body made from bytes gets no Content-Type of its own, and
 * Hono's Node server then sends `Content-Length: 0` instead of an empty chunked body.
 */
const NO_BYTES = new Uint8Array(0);

/**
 * A reply (a scheme's rejection, an endpoint's answer) as a Fetch `Response` with its exact status, headers and
 * bytes. It asks nothing of the connection: what becomes of a body left unread after an early answer (a 413) is the
 * server's to decide, and a `Connection: close` here would make Node's server drop the connection under a client
 * still uploading, which then never reads its answer.
 *
 * @example
 * return toResponse(scheme.reject(error));
 */
export function toResponse({ status, headers, body }: HttpReply): Response {
  return new Response(body === undefined || body.length === 0 ? NO_BYTES : body, { status, headers: { ...headers } });
}
