import { isKeygateError, KeygateError } from './errors.js';
import { bodyTooLarge, refuseContentEncoding } from './request-body.js';
import type { SignedRequest } from './signed-request.js';

/**
 * What an adapter without a Node `IncomingMessage` (the Fetch API's `Request`, say) supplies for one request: the
 * request line, its headers and its body as a stream. Core turns it into a SignedRequest whose body is read once,
 * lazily, and stopped as soon as it passes the verifier's limit, so every such adapter gets the same limit and length
 * rules as the Node path.
 *
 * @example
 * const port: RequestPort = {
 *   method: request.method,
 *   path: '/inqud/v1/payout',
 *   header: (name) => request.headers.get(name) ?? undefined,   // a real adapter also refuses repeated headers
 *   body: () => request.body,
 * };
 * const outcome = await createVerifier(inqud({ secrets })).verifyPort(port);
 */
export interface RequestPort {
  /** The HTTP method, upper case. */
  readonly method: string;
  /** Path with query, as received. */
  readonly path: string;
  /** One header by lower-case name; a header sent more than once must throw `malformed_credentials` (see SignedRequest). */
  header(name: string): string | undefined;
  /**
   * The body as it arrives (a Fetch `ReadableStream` is an async iterable of Uint8Array), or null when the request
   * has none. Called at most once per request. May throw a KeygateError, `body_consumed` when something else already
   * read the stream.
   */
  body(): AsyncIterable<Uint8Array> | Iterable<Uint8Array> | null;
}

const EMPTY = Buffer.alloc(0);
const DIGITS = /^[0-9]{1,15}$/;

/**
 * Wraps a RequestPort as a SignedRequest with a lazily read, cached body bounded by `limit` (what `verifyPort` runs
 * the scheme on).
 *
 * @example
 * const bytes = await signedRequestFromPort(port, 1024 * 1024).body();   // 413 KeygateError past 1 MiB
 */
export function signedRequestFromPort(port: RequestPort, limit: number): SignedRequest {
  let body: Promise<Buffer> | undefined;
  return {
    method: port.method,
    path: port.path,
    header(name) {
      return port.header(name);
    },
    body() {
      return (body ??= readPortBody(port, limit));
    },
  };
}

/**
 * Reads the body within `limit`: a declared Content-Length over the limit is refused before a byte is read, and a
 * stream (chunked, or lying about its length) is stopped, and cancelled, at the first chunk that passes it.
 */
async function readPortBody(port: RequestPort, limit: number): Promise<Buffer> {
  refuseContentEncoding(port.header('content-encoding'));
  const declared = declaredLength(port.header('content-length'));
  if (declared !== undefined && declared > limit) throw bodyTooLarge(limit);
  const stream = declared === 0 ? null : port.body();
  if (stream === null) return EMPTY;
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    // Leaving the loop early (the throw below) calls the iterator's return(), which cancels a ReadableStream.
    for await (const chunk of stream) {
      if (!(chunk instanceof Uint8Array)) throw new KeygateError('internal_error', 'the request body stream gave something other than bytes');
      received += chunk.byteLength;
      if (received > limit) throw bodyTooLarge(limit);
      chunks.push(chunk);
    }
  } catch (error) {
    if (isKeygateError(error)) throw error;
    throw new KeygateError('body_aborted', 'the request body could not be read to its end (the client closed the connection?)', { cause: error });
  }
  if (declared !== undefined && received !== declared) {
    throw new KeygateError('body_aborted', 'the body length does not match Content-Length');
  }
  return Buffer.concat(chunks, received);
}

function declaredLength(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  if (!DIGITS.test(header)) throw new KeygateError('body_aborted', 'Content-Length is not a decimal byte count');
  return Number(header);
}
