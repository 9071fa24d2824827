import {
  authHeader, callStore, constantTimeEqual, constantTimeEqualStrings, decodeHex, DUMMY_SECRET, jsonErrorReply,
  KeygateError, type ActiveCredential, type Credential, type Scheme, type SignedRequest,
} from '@keygate/core';
import { resolveInqudOptions, type InqudOptions, type ResolvedInqudOptions } from './options.js';

/** The headers Inqud's clients send, as its document spells them. */
export const INQUD_HEADERS = {
  /** The API token id, `TKN-…`; both modes. */
  tokenId: 'X-Token-API-Id',
  /** The secret itself; simple mode. */
  secret: 'X-Token-API-Secret',
  /** Hex HMAC-SHA256(secret, body + salt); HMAC mode. */
  signature: 'X-HMAC-SHA256-Signature',
  /** The salt, single-use per token; HMAC mode. */
  salt: 'X-Salt',
} as const;

const UNKNOWN: ActiveCredential<Credential> = { secrets: [DUMMY_SECRET] };

/**
 * Inqud's token authentication: simple (`X-Token-API-Id` + `X-Token-API-Secret`) or HMAC (`X-Token-API-Id` +
 * `X-HMAC-SHA256-Signature` = hex HMAC-SHA256(secret, raw body + salt) + `X-Salt`, each salt used once).
 * The principal is the token id.
 *
 * @example
 * app.use('/inqud', keygate(inqud({ secrets: new Map([['TKN-…', { secrets: ['…'] }]]) })));
 */
export function inqud(options: InqudOptions): Scheme<string> {
  const resolved = resolveInqudOptions(options);
  return {
    name: 'inqud',
    readsBody: resolved.hmac,
    keyIdHeader: 'x-token-api-id',
    verify: (req) => verifyInqud(req, resolved),
    reject: jsonErrorReply,
  };
}

interface HmacRequest {
  readonly mode: 'hmac';
  readonly tokenId: string;
  readonly provided: Buffer;
  readonly salt: string;
}

interface SimpleRequest {
  readonly mode: 'simple';
  readonly tokenId: string;
  readonly secret: string;
}

/**
 * The HMAC path is one async function that awaits only what is really pending (the body; a store only when it
 * answers with a promise): each needless await is a microtask turn, a measurable share of a small request's verify.
 */
async function verifyInqud(req: SignedRequest, o: ResolvedInqudOptions): Promise<{ principal: string }> {
  const request = readInqudHeaders(req, o);
  if (request.mode === 'simple') return verifySimple(request, o);
  const { tokenId, provided, salt } = request;
  const body = await req.body();
  let credential = o.lookup(tokenId);
  if (credential instanceof Promise) credential = await credential;
  let match = false;
  for (const secret of (credential ?? UNKNOWN).secrets) {
    if (constantTimeEqual(o.computeHmac(secret, [body, salt]), provided)) match = true;
  }
  if (credential === undefined) throw new KeygateError('unknown_key', 'X-Token-API-Id is not a known token');
  if (!match) {
    throw new KeygateError(
      'bad_signature',
      'X-HMAC-SHA256-Signature does not match HMAC-SHA256(secret, raw body + X-Salt); sign the exact bytes you send',
    );
  }
  let first = callStore('nonce store', () => o.nonces.claim(`inqud:${tokenId}`, salt, o.saltRetentionMs), o.storeTimeoutMs);
  if (first instanceof Promise) first = await first;
  if (!first) throw new KeygateError('replayed', 'X-Salt was already used with this token; use a fresh random salt per request');
  return { principal: tokenId };
}

/** Everything checked on the headers alone: presence, format and the allowed modes. */
function readInqudHeaders(req: SignedRequest, o: ResolvedInqudOptions): HmacRequest | SimpleRequest {
  const tokenId = authHeader(req, 'x-token-api-id', INQUD_HEADERS.tokenId);
  const signature = authHeader(req, 'x-hmac-sha256-signature', INQUD_HEADERS.signature);
  const salt = authHeader(req, 'x-salt', INQUD_HEADERS.salt);
  const secret = authHeader(req, 'x-token-api-secret', INQUD_HEADERS.secret);
  if (tokenId === undefined) throw new KeygateError('missing_credentials', 'X-Token-API-Id header is missing');
  if (!tokenId.startsWith('TKN-')) throw new KeygateError('malformed_credentials', 'X-Token-API-Id must start with TKN-');
  const hmacMode = signature !== undefined || salt !== undefined;
  if (hmacMode && secret !== undefined) {
    throw new KeygateError('malformed_credentials', 'send either X-Token-API-Secret or X-HMAC-SHA256-Signature with X-Salt, not both');
  }
  if (hmacMode) {
    if (!o.hmac) throw new KeygateError('mode_not_allowed', 'HMAC authentication is disabled here; use X-Token-API-Secret');
    if (signature === undefined) throw new KeygateError('missing_credentials', 'X-HMAC-SHA256-Signature header is missing');
    if (salt === undefined) throw new KeygateError('missing_credentials', 'X-Salt header is missing');
    const provided = decodeHex(signature, 32);
    if (provided === undefined) {
      throw new KeygateError('malformed_credentials', 'X-HMAC-SHA256-Signature must be 64 hex characters');
    }
    return { mode: 'hmac', tokenId, provided, salt };
  }
  if (secret !== undefined) {
    if (!o.simple) throw new KeygateError('mode_not_allowed', 'simple authentication is disabled here; sign requests with HMAC');
    return { mode: 'simple', tokenId, secret };
  }
  throw new KeygateError(
    'missing_credentials',
    o.hmac ? 'X-HMAC-SHA256-Signature and X-Salt headers are missing' : 'X-Token-API-Secret header is missing',
  );
}

async function verifySimple({ tokenId, secret }: SimpleRequest, o: ResolvedInqudOptions): Promise<{ principal: string }> {
  const credential = await o.lookup(tokenId);
  let match = false;
  for (const expected of (credential ?? UNKNOWN).secrets) {
    if (constantTimeEqualStrings(secret, expected)) match = true;
  }
  if (credential === undefined) throw new KeygateError('unknown_key', 'X-Token-API-Id is not a known token');
  if (!match) throw new KeygateError('bad_signature', 'X-Token-API-Secret does not match this token');
  return { principal: tokenId };
}
