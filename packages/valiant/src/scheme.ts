import {
  authHeader, constantTimeEqual, decodeBase64, DUMMY_SECRET, isKeygateError, KeygateError, mediaType,
  type ActiveCredential, type Scheme, type SignedRequest, type Verified,
} from '@keygate/core';
import { VALIANT_HEADERS, VALIANT_MEDIA_TYPE } from './headers.js';
import { resolveValiantOptions, type ResolvedValiantOptions, type ValiantCredential, type ValiantOptions } from './options.js';
import { rejectValiant } from './reject.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An unknown id still costs one HMAC, like a known one with a wrong signed key. */
const UNKNOWN: ActiveCredential<ValiantCredential> = { key: 'unknown-valiant-client', secrets: [DUMMY_SECRET] };

/**
 * Valiant's API authentication: `X-AUTH-ID` (client uuid) + `X-AUTH-SIGNED-KEY` = base64 HMAC-SHA256(secret, key),
 * and `Content-Type: application/vnd.api+json`. The signed key covers neither the body nor the path nor the time, so
 * the scheme never reads the body: adapters refuse a bad request before buffering it. The principal is the client id.
 *
 * @example
 * const secrets = new Map([[clientId, { key: process.env.VALIANT_KEY!, secrets: [process.env.VALIANT_SECRET!] }]]);
 * app.use('/valiant', keygate(valiant({ secrets })));
 */
export function valiant(options: ValiantOptions): Scheme<string> {
  const resolved = resolveValiantOptions(options);
  return {
    name: 'valiant',
    readsBody: false,
    keyIdHeader: 'x-auth-id',
    verify: (req) => verifyValiant(req, resolved),
    reject: rejectValiant,
  };
}

async function verifyValiant(req: SignedRequest, o: ResolvedValiantOptions): Promise<Verified<string>> {
  const id = authHeader(req, 'x-auth-id', VALIANT_HEADERS.id);
  const signedKey = authHeader(req, 'x-auth-signed-key', VALIANT_HEADERS.signedKey);
  if (id === undefined) throw new KeygateError('missing_credentials', 'X-AUTH-ID header is missing');
  if (signedKey === undefined) throw new KeygateError('missing_credentials', 'X-AUTH-SIGNED-KEY header is missing');
  if (!UUID.test(id)) throw new KeygateError('malformed_credentials', 'X-AUTH-ID must be the client uuid (8-4-4-4-12 hex digits)');
  const provided = decodeBase64(signedKey, 32);
  if (provided === undefined) {
    throw new KeygateError('malformed_credentials', 'X-AUTH-SIGNED-KEY must be padded standard base64 of a 32-byte HMAC-SHA256 (44 characters)');
  }
  let credential = o.lookup(id);
  if (credential instanceof Promise) credential = await credential; // a synchronous store costs no microtask turn
  if (credential !== undefined && (typeof credential.key !== 'string' || credential.key === '')) {
    throw new KeygateError('store_unavailable', 'secret store returned a Valiant credential without a key');
  }
  const { key, secrets } = credential ?? UNKNOWN;
  let match = false;
  for (const secret of secrets) {
    if (constantTimeEqual(o.computeHmac(secret, [key]), provided)) match = true;
  }
  if (credential === undefined) throw new KeygateError('unknown_key', 'X-AUTH-ID is not a known client');
  if (!match) {
    throw new KeygateError('bad_signature', 'X-AUTH-SIGNED-KEY does not match base64 HMAC-SHA256(secret, key) for this client');
  }
  // Checked only after authentication, so an unauthenticated caller learns nothing about the content-type rule.
  if (mediaType(contentType(req)) !== VALIANT_MEDIA_TYPE) {
    throw new KeygateError('content_type', `Content-Type must be ${VALIANT_MEDIA_TYPE}`);
  }
  return { principal: id };
}

function contentType(req: SignedRequest): string | undefined {
  try {
    return req.header('content-type');
  } catch (error) {
    if (isKeygateError(error)) throw new KeygateError('content_type', 'Content-Type header was sent more than once');
    throw error;
  }
}
