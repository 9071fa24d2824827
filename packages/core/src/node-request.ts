import { KeygateError, toKeygateError } from './errors.js';
import { readRequestBody, type BodySource } from './request-body.js';
import type { SignedRequest } from './signed-request.js';
import { settleUnreadBody, type LingerBounds } from './unread-body.js';

/** A SignedRequest over a Node request, which also answers for the body bytes a failed verification left unread. */
export interface NodeSignedRequest extends SignedRequest {
  /**
   * Call once verification failed, before writing the answer: the unread rest of the body is discarded within
   * bounds or the connection closed gracefully (see `settleUnreadBody`). A body read still in flight is awaited
   * first. Does nothing when the source has no `res`.
   */
  settle(error: KeygateError, bounds: LingerBounds): Promise<void>;
}

/** Wraps a Node request (Express's `req`, Koa's `ctx.req`) as a SignedRequest with a lazily read, cached body. */
export function signedRequestFromNode(source: BodySource, url: string, limit: number): NodeSignedRequest {
  const { req, res } = source;
  // Read once, not per header: Express re-prototypes every request (Object.setPrototypeOf), after which each property
  // read of `req` takes V8's slow path (measured 0.2-1 µs a read under Express, against tens of ns on plain Node).
  const rawHeaders = req.rawHeaders;
  let body: Promise<Buffer> | undefined;
  // Methods rather than arrow properties: tsx (keepNames) wraps each arrow property in a naming call per request.
  return {
    method: req.method ?? 'GET',
    path: url,
    header(name) {
      return singleHeader(rawHeaders, name);
    },
    body() {
      return (body ??= readRequestBody(source, limit));
    },
    async settle(error, bounds) {
      if (res === undefined) return;
      let tooLarge = error.code === 'body_too_large';
      if (body !== undefined) {
        await body.catch((readError: unknown) => {
          tooLarge ||= toKeygateError(readError).code === 'body_too_large';
        });
      }
      settleUnreadBody(req, res, tooLarge, limit, bounds);
    },
  };
}

/**
 * One header by lower-case name, refusing a repeated one. Read from `req.rawHeaders` (the names and values exactly as
 * parsed) rather than `req.headersDistinct`, which gives the same answer but first builds an array for every header
 * of the request, a measurable share of a small request's cost.
 */
function singleHeader(raw: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const field = raw[i]!;
    if (field.length === name.length && (field === name || field.toLowerCase() === name)) {
      if (value !== undefined) throw new KeygateError('malformed_credentials', `${name} header was sent more than once`);
      value = raw[i + 1];
    }
  }
  return value;
}
