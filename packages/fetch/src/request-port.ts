import { KeygateError, type RequestPort } from '@keygate/core';
import { singleHeader } from './headers.js';

const DEFAULT_HINT = 'verify before anything reads the body (request.json(), request.text(), a body parser), and use the verified result\'s rawBody and body';

/**
 * A Fetch `Request` as core's RequestPort: headers through `singleHeader`, the body as `request.body`'s stream, read
 * and bounded by core. `saved` is the exact bytes something read earlier and kept (Hono's `c.req.arrayBuffer()`
 * cache); without them a body already read is refused with `body_consumed` and `consumedHint`.
 *
 * @example
 * const outcome = await createVerifier(scheme).verifyPort(requestPort(request));
 */
export function requestPort(request: Request, consumedHint = DEFAULT_HINT, saved?: Promise<ArrayBuffer>): RequestPort {
  const headers = request.headers;
  return {
    method: request.method,
    path: pathWithQuery(request.url),
    header(name) {
      return singleHeader(headers, name);
    },
    body() {
      if (saved !== undefined) return savedBody(saved);
      if (request.bodyUsed) throw new KeygateError('body_consumed', `the request body was already read; ${consumedHint}`);
      const { body } = request;
      if (body === null) return null;
      // Stop reading at the limit without cancelling the stream: the server decides what to do with the rest (Hono's
      // Node server drains a bounded amount, so the client reads its 413 instead of a reset connection). A runtime
      // whose streams lack values() iterates the stream itself, which cancels it at the limit.
      return typeof body.values === 'function' ? body.values({ preventCancel: true }) : body;
    },
  };
}

async function* savedBody(saved: Promise<ArrayBuffer>): AsyncIterable<Uint8Array> {
  yield new Uint8Array(await saved);
}

/**
 * `request.url` from its path on. Request URLs are always absolute.
 *
 * @example
 * pathWithQuery('https://host:8443/a/b?c=1');   // '/a/b?c=1'
 */
export function pathWithQuery(url: string): string {
  const slash = url.indexOf('/', url.indexOf('//') + 2);
  return slash === -1 ? '/' : url.slice(slash);
}
