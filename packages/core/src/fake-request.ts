import { KeygateError } from './errors.js';
import type { SignedRequest } from './signed-request.js';

/** A SignedRequest whose body reads can be counted, to prove a scheme rejected before buffering. */
export interface FakeSignedRequest extends SignedRequest {
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
