import type { IncomingMessage } from 'node:http';
import { KeygateError } from './errors.js';
import { readRequestBody, type BodySource } from './request-body.js';
import type { SignedRequest } from './signed-request.js';

/** Wraps a Node request (Express's `req`, Koa's `ctx.req`) as a SignedRequest with a lazily read, cached body. */
export function signedRequestFromNode(source: BodySource, url: string, limit: number): SignedRequest {
  const { req } = source;
  let body: Promise<Buffer> | undefined;
  return {
    method: req.method ?? 'GET',
    path: url,
    header: (name) => singleHeader(req, name),
    body: () => (body ??= readRequestBody(source, limit)),
  };
}

function singleHeader(req: IncomingMessage, name: string): string | undefined {
  const values = req.headersDistinct[name];
  if (values === undefined) return undefined;
  if (values.length > 1) throw new KeygateError('malformed_credentials', `${name} header was sent more than once`);
  return values[0];
}
