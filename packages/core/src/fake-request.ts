import { KeygateError } from './errors.js';
import { jsonErrorReply } from './json-reply.js';
import type { Scheme } from './scheme.js';
import type { SignedRequest } from './signed-request.js';

/** A SignedRequest whose body reads can be counted, to prove a scheme rejected before buffering. */
export interface FakeSignedRequest extends SignedRequest {
  /** How many times `body()` was called. */
  readonly bodyReads: number;
}

/**
 * A SignedRequest for unit tests and benchmarks, without a server. Header values given as arrays simulate a
 * duplicated header.
 *
 * @example
 * await scheme.verify(fakeSignedRequest(signInqud({ tokenId, secret, body }), body));
 */
export function fakeSignedRequest(headers: Record<string, string | string[]>, body: string | Uint8Array = '', method = 'POST', path = '/'): FakeSignedRequest {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  let reads = 0;
  return {
    method,
    path,
    header(name) {
      const value = lower.get(name);
      if (Array.isArray(value)) {
        if (value.length > 1) throw new KeygateError('malformed_credentials', `${name} header was sent more than once`);
        return value[0];
      }
      return value;
    },
    body: async () => {
      reads += 1;
      return bytes;
    },
    get bodyReads() {
      return reads;
    },
  };
}

/**
 * What `fakeScheme` checks.
 *
 * @example
 * fakeScheme({ key: 'k', needle: '' });   // any body, `x-key: k` required, principal 'k'
 */
export interface FakeSchemeOptions {
  /** When set, the `x-key` header must be this value; it is checked before the body is read. */
  readonly key?: string;
  /** Text the body must contain (default "ok"); '' accepts any body. */
  readonly needle?: string;
}

/**
 * A scheme for adapter tests, without a vendor: it accepts a request whose `x-key` header is `key` (when given) and
 * whose body contains `needle`. The principal is the key when one is required, else the body as text. Refusals are
 * `bad_signature`, answered with `jsonErrorReply`.
 *
 * @example
 * app.use(keygate(fakeScheme()));   // POST "ok" -> principal "ok"; POST "no" -> 401
 */
export function fakeScheme(options: FakeSchemeOptions = {}): Scheme<string> {
  const { key, needle = 'ok' } = options;
  return {
    name: 'fake',
    readsBody: true,
    async verify(req) {
      if (key !== undefined && req.header('x-key') !== key) throw new KeygateError('bad_signature', `x-key is not ${key}`);
      const text = Buffer.from(await req.body()).toString('utf8');
      if (!text.includes(needle)) throw new KeygateError('bad_signature', `the body does not contain ${JSON.stringify(needle)}`);
      return { principal: key ?? text };
    },
    reject: jsonErrorReply,
  };
}
