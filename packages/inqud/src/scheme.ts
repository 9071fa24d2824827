import {
  authHeader, callStore, constantTimeEqual, constantTimeEqualStrings, decodeHex, DUMMY_SECRET, jsonErrorReply,
  KeygateError, type Credential, type Scheme, type SignedRequest,
} from '@keygate/core';
import { resolveInqudOptions, type InqudOptions, type ResolvedInqudOptions } from './options.js';

export const INQUD_HEADERS = {
  tokenId: 'X-Token-API-Id',
  secret: 'X-Token-API-Secret',
  signature: 'X-HMAC-SHA256-Signature',
  salt: 'X-Salt',
} as const;

const UNKNOWN: Credential = { secrets: [DUMMY_SECRET] };

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
    verify: (req) => verifyInqud(req, resolved),
    reject: jsonErrorReply,
  };
}

async function verifyInqud(req: SignedRequest, o: ResolvedInqudOptions): Promise<{ principal: string }> {
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
  if (hmacMode) return verifyHmac(req, tokenId, signature, salt, o);
  if (secret !== undefined) return verifySimple(tokenId, secret, o);
  throw new KeygateError(
    'missing_credentials',
    o.hmac ? 'X-HMAC-SHA256-Signature and X-Salt headers are missing' : 'X-Token-API-Secret header is missing',
  );
}

async function verifyHmac(
  req: SignedRequest, tokenId: string, signature: string | undefined, salt: string | undefined, o: ResolvedInqudOptions,
): Promise<{ principal: string }> {
  if (!o.hmac) throw new KeygateError('mode_not_allowed', 'HMAC authentication is disabled here; use X-Token-API-Secret');
  if (signature === undefined) throw new KeygateError('missing_credentials', 'X-HMAC-SHA256-Signature header is missing');
  if (salt === undefined) throw new KeygateError('missing_credentials', 'X-Salt header is missing');
  const provided = decodeHex(signature, 32);
  if (provided === undefined) {
    throw new KeygateError('malformed_credentials', 'X-HMAC-SHA256-Signature must be 64 hex characters');
  }
  const body = await req.body();
  const credential = await o.lookup(tokenId);
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
  const first = await callStore('nonce store', () => o.nonces.claim(`inqud:${tokenId}`, salt, o.saltRetentionMs), o.storeTimeoutMs);
  if (!first) throw new KeygateError('replayed', 'X-Salt was already used with this token; use a fresh random salt per request');
  return { principal: tokenId };
}

async function verifySimple(tokenId: string, secret: string, o: ResolvedInqudOptions): Promise<{ principal: string }> {
  if (!o.simple) throw new KeygateError('mode_not_allowed', 'simple authentication is disabled here; sign requests with HMAC');
  const credential = await o.lookup(tokenId);
  let match = false;
  for (const expected of (credential ?? UNKNOWN).secrets) {
    if (constantTimeEqualStrings(secret, expected)) match = true;
  }
  if (credential === undefined) throw new KeygateError('unknown_key', 'X-Token-API-Id is not a known token');
  if (!match) throw new KeygateError('bad_signature', 'X-Token-API-Secret does not match this token');
  return { principal: tokenId };
}
