import {
  authHeader, callStore, constantTimeEqual, decodeHex, DUMMY_SECRET, KeygateError, parseJson,
  type ActiveCredential, type Credential, type Scheme, type SignedRequest, type Verified,
} from '@keygate/core';
import { LENME_HEADERS } from './headers.js';
import { resolveLenmeOptions, type LenmeOptions, type ResolvedLenmeOptions } from './options.js';
import { rejectLenme } from './reject.js';
import { parseTimestamp } from './timestamp.js';

/** An unknown key still costs one HMAC, like a known one with a wrong signature. */
const UNKNOWN: ActiveCredential<Credential> = { secrets: [DUMMY_SECRET] };

/**
 * Lenme's API-key authentication: `X-API-KEY` + `X-Timestamp` (unix seconds) + `X-HMAC` = hex
 * HMAC-SHA256(secret, "<timestamp>:<secret>"), valid while the timestamp is within ±`toleranceSeconds` of now.
 * The HMAC covers neither body nor path. Every body must be JSON: the scheme parses it once and hands it on.
 * The principal is the API key.
 *
 * @example
 * const secrets = new Map([[process.env.LENME_API_KEY!, { secrets: [process.env.LENME_SECRET!] }]]);
 * app.use('/lenme', keygate(lenme({ secrets })));
 */
export function lenme(options: LenmeOptions): Scheme<string> {
  const resolved = resolveLenmeOptions(options);
  return {
    name: 'lenme',
    // The HMAC covers no body bytes, so headers are checked before the body is read; the body is read (and parsed
    // as JSON) only once the caller is authenticated.
    readsBody: false,
    keyIdHeader: 'x-api-key',
    verify: (req) => verifyLenme(req, resolved),
    reject: rejectLenme,
  };
}

async function verifyLenme(req: SignedRequest, o: ResolvedLenmeOptions): Promise<Verified<string>> {
  const apiKey = authHeader(req, 'x-api-key', LENME_HEADERS.apiKey);
  const timestampText = authHeader(req, 'x-timestamp', LENME_HEADERS.timestamp);
  const hmacText = authHeader(req, 'x-hmac', LENME_HEADERS.hmac);
  if (apiKey === undefined || timestampText === undefined || hmacText === undefined) {
    const missing = [
      apiKey === undefined ? LENME_HEADERS.apiKey : undefined,
      timestampText === undefined ? LENME_HEADERS.timestamp : undefined,
      hmacText === undefined ? LENME_HEADERS.hmac : undefined,
    ].filter((name) => name !== undefined);
    throw new KeygateError('missing_credentials', `${missing.join(', ')} header${missing.length > 1 ? 's are' : ' is'} missing`);
  }
  const timestamp = parseTimestamp(timestampText);
  if (timestamp === undefined) {
    throw new KeygateError('malformed_credentials', 'X-Timestamp must be integer unix seconds (digits only, no sign, decimals or leading zeros)');
  }
  const provided = decodeHex(hmacText, 32);
  if (provided === undefined) throw new KeygateError('malformed_credentials', 'X-HMAC must be 64 hex characters (HMAC-SHA256)');

  const nowSeconds = Math.floor(o.now() / 1000);
  if (Math.abs(nowSeconds - timestamp) > o.toleranceSeconds) {
    throw new KeygateError(
      'timestamp_out_of_range',
      `X-Timestamp is more than ${o.toleranceSeconds} s from the server clock; send the current unix time in seconds`,
    );
  }

  let credential = o.lookup(apiKey);
  if (credential instanceof Promise) credential = await credential; // a synchronous store costs no microtask turn
  let match = false;
  for (const secret of (credential ?? UNKNOWN).secrets) {
    if (constantTimeEqual(o.computeHmac(secret, [`${timestampText}:${secret}`]), provided)) match = true;
  }
  if (credential === undefined) throw new KeygateError('unknown_key', 'X-API-KEY is not a known API key');
  if (!match) {
    throw new KeygateError('bad_signature', 'X-HMAC does not match hex HMAC-SHA256(secret, "<X-Timestamp>:<secret>") for this API key');
  }

  const bytes = await req.body();
  // Every Lenme body is JSON; an empty body (a bare GET or POST) is fine and reaches the route as undefined.
  const body = bytes.byteLength === 0 ? undefined : parseJson(bytes);

  // Claimed last, so a request refused for any other reason does not use the HMAC up.
  if (o.nonces !== undefined) {
    const nonces = o.nonces;
    // Long enough to outlive the HMAC's whole validity (timestamp ± tolerance), whatever the store's own clock says.
    const ttlMs = (2 * o.toleranceSeconds + 1) * 1000;
    let first = callStore('nonce store', () => nonces.claim(`lenme:${apiKey}`, provided.toString('hex'), ttlMs), o.storeTimeoutMs);
    if (first instanceof Promise) first = await first;
    if (!first) throw new KeygateError('replayed', 'X-HMAC was already used (single-use mode); sign each request with a new X-Timestamp');
  }
  return { principal: apiKey, body };
}
