import { KeygateError } from './errors.js';
import type { SignedRequest } from './signed-request.js';

/** Visible ASCII only: no spaces, no control characters, nothing a client could smuggle past a byte compare. */
const TOKEN = /^[\x21-\x7e]+$/;
/** The longest auth header value accepted; longer is `malformed_credentials`. */
export const MAX_AUTH_HEADER_LENGTH = 512;

/**
 * Reads an auth header that must be visible ASCII without spaces. Returns undefined when absent or empty, throws
 * `malformed_credentials` when it is over `MAX_AUTH_HEADER_LENGTH` or has other characters.
 */
export function authHeader(req: SignedRequest, name: string, displayName = name): string | undefined {
  const value = req.header(name);
  if (value === undefined || value === '') return undefined;
  if (value.length > MAX_AUTH_HEADER_LENGTH) {
    throw new KeygateError('malformed_credentials', `${displayName} header is longer than ${MAX_AUTH_HEADER_LENGTH} characters`);
  }
  if (!TOKEN.test(value)) {
    throw new KeygateError('malformed_credentials', `${displayName} header must be visible ASCII without spaces`);
  }
  return value;
}

/** The media type of a Content-Type header, lower-cased and without parameters (`; charset=utf-8`). */
export function mediaType(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const semicolon = contentType.indexOf(';');
  const type = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return type === '' ? undefined : type;
}

/** True for `application/json` and any `+json` media type (as returned by `mediaType`). */
export function isJsonMediaType(type: string | undefined): boolean {
  return type !== undefined && (type === 'application/json' || type.endsWith('+json'));
}
