import type { IncomingMessage, ServerResponse } from 'node:http';
import getRawBody from 'raw-body';
import { KeygateError } from './errors.js';

const EMPTY = Buffer.alloc(0);

/** Where an adapter's request body comes from: the Node request and what the framework may already hold. */
export interface BodySource {
  /** The Node request whose stream holds the body. */
  readonly req: IncomingMessage;
  /**
   * The response to `req`. With it, a failure answered before the body was read to its end leaves the rest to a
   * bounded discard or a lingering close (see `discardUnreadBody`), so the client reads its answer.
   */
  readonly res?: ServerResponse;
  /** What an earlier parser may have saved (`req.rawBody`, `ctx.request.rawBody`). */
  readonly saved: unknown;
  /** How to fix a consumed body in this framework, for the error message. */
  readonly consumedHint: string;
}

interface BodyParsedRequest extends IncomingMessage {
  _body?: unknown;
}

/**
 * Reads the exact request bytes once, within `limit`. Reuses bytes an earlier parser saved; refuses with
 * `body_consumed` when another parser ate the stream and saved nothing, instead of hanging or re-serialising.
 */
export async function readRequestBody(source: BodySource, limit: number): Promise<Buffer> {
  const { req, saved } = source;
  const headers = req.headers; // one read: under Express each property read of req is slow (see node-request.ts)
  refuseContentEncoding(headers['content-encoding']);
  if (saved instanceof Uint8Array) {
    if (saved.byteLength > limit) throw bodyTooLarge(limit);
    return Buffer.isBuffer(saved) ? saved : Buffer.from(saved.buffer, saved.byteOffset, saved.byteLength);
  }
  if (saved !== undefined && saved !== null) {
    throw new KeygateError('body_consumed', `the saved raw body is a ${typeof saved}, not bytes; ${source.consumedHint}`);
  }
  const declared = headers['content-length'];
  const chunked = headers['transfer-encoding'] !== undefined;
  if (!chunked && (declared === undefined || declared === '0')) return EMPTY;
  refuseConsumed(req, source.consumedHint);
  if (!chunked) {
    const length = Number(declared);
    if (length <= limit) {
      // Node's parser pushes the body bytes that came with the headers only after the 'request' handler returned,
      // and before any microtask runs: one turn later a small body is usually all there.
      if (req.readableLength < length) await undefined;
      refuseConsumed(req, source.consumedHint);
      if (req.readableLength === length && req.readableEncoding === null) return takeBuffered(req, length);
    }
  }
  try {
    return await getRawBody(req, { limit, length: chunked ? null : (declared ?? null) });
  } catch (error) {
    throw bodyError(error, limit, source.consumedHint);
  }
}

function refuseConsumed(req: IncomingMessage, hint: string): void {
  if (req.readableEnded || req.readableFlowing !== null || (req as BodyParsedRequest)._body !== undefined) {
    throw new KeygateError('body_consumed', `the request body was already read by another parser; ${hint}`);
  }
}

/**
 * The whole declared body is in the stream's buffer (the parser never pushes more than Content-Length): take it
 * without raw-body's listeners, flowing mode and copy. `resume` lets the stream reach its end as a full read does,
 * so Node's end-of-request handling and a later reader's `body_consumed` check see the same as after raw-body.
 */
function takeBuffered(req: IncomingMessage, length: number): Buffer {
  const bytes: unknown = req.read(length);
  req.resume();
  // Cannot happen on a Node request (a byte stream whose buffer holds `length` bytes), but a wrapper might differ.
  if (!Buffer.isBuffer(bytes) || bytes.byteLength !== length) throw new KeygateError('body_aborted', 'the request body could not be read');
  return bytes;
}

/** The signature covers the bytes as sent; a parser that inflated them has already lost those bytes. */
export function refuseContentEncoding(encoding: string | undefined): void {
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
    throw new KeygateError('unsupported_encoding', 'Content-Encoding is not supported: send the body uncompressed, as it was signed');
  }
}

export function bodyTooLarge(limit: number): KeygateError {
  return new KeygateError('body_too_large', `request body is larger than the ${limit}-byte limit`);
}

function bodyError(error: unknown, limit: number, hint: string): KeygateError {
  switch ((error as { type?: string } | null)?.type) {
    case 'entity.too.large':
      return bodyTooLarge(limit);
    case 'request.aborted':
      return new KeygateError('body_aborted', 'the client closed the connection before the body was complete', { cause: error });
    case 'request.size.invalid':
      return new KeygateError('body_aborted', 'the body length does not match Content-Length', { cause: error });
    case 'stream.not.readable':
    case 'stream.encoding.set':
      return new KeygateError('body_consumed', `the request stream was already read or decoded; ${hint}`, { cause: error });
    default:
      return new KeygateError('body_aborted', 'the request body could not be read', { cause: error });
  }
}
