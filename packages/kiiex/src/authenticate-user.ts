import {
  callStore, constantTimeEqual, constantTimeEqualStrings, decodeHex, DUMMY_SECRET, KeygateError, type Endpoint,
  type SignedRequest, type HttpReply,
} from '@keygate/core';
import { readAuthFields } from './auth-fields.js';
import { apexUser, type ActiveKiiexCredential } from './credential.js';
import type { ResolvedKiiexOptions } from './options.js';
import { authenticatedReply, authenticateFailureReply } from './replies.js';
import type { SessionTokens } from './session-token.js';

const UNKNOWN: ActiveKiiexCredential = { secrets: [DUMMY_SECRET], userId: -1 };

/**
 * AuthenticateUser: checks Signature = hex HMAC-SHA256(secret, Nonce + UserId + APIKey) (either hex case), that
 * UserId is the key's user and that the Nonce is new for this APIKey, then answers the APEX user object with a
 * session token. Failures answer 200 `{"authenticated": false, "locked": false, "errormsg"}` and never a token.
 *
 * @example
 * app.post('/kiiex/AuthenticateUser', keygateEndpoint(kiiex({ secrets, sessionKey }).authenticateUser));
 */
export function authenticateUserEndpoint(o: ResolvedKiiexOptions, tokens: SessionTokens): Endpoint {
  return {
    name: 'kiiex-authenticate-user',
    // The header variant only: audit events never read a body, so APIKey sent in the JSON body is not reported.
    keyIdHeader: 'apikey',
    handle: (req) => authenticate(req, o, tokens),
    reject: authenticateFailureReply,
  };
}

async function authenticate(req: SignedRequest, o: ResolvedKiiexOptions, tokens: SessionTokens): Promise<HttpReply> {
  const { apiKey, signature, userId, nonce } = await readAuthFields(req);
  const provided = decodeHex(signature, 32);
  if (provided === undefined) {
    throw new KeygateError('malformed_credentials', 'Signature must be 64 hex characters (a hex HMAC-SHA256)');
  }
  const credential = await o.lookup(apiKey);
  // An unknown APIKey still costs one HMAC, so timing does not tell which APIKeys exist.
  let match = false;
  for (const secret of (credential ?? UNKNOWN).secrets) {
    if (constantTimeEqual(o.computeHmac(secret, [nonce, userId, apiKey]), provided)) match = true;
  }
  if (credential === undefined) throw new KeygateError('unknown_key', 'APIKey is not a known key');
  if (!match) {
    throw new KeygateError('bad_signature', 'Signature does not match HMAC-SHA256(secret, Nonce + UserId + APIKey) for this APIKey');
  }
  // Both sides are canonical decimal text (see auth-fields.ts), so text equality is number equality.
  if (userId !== String(credential.userId)) throw new KeygateError('user_mismatch', 'UserId is not the user of this APIKey');
  // Fields sent as headers leave the body unread until here: a body over the limit is refused (413) before the
  // Nonce is spent or a token issued.
  await req.body();
  if (!(o.allowStaticNonce && isStaticNonce(credential, nonce))) {
    const first = await callStore('nonce store', () => o.nonces.claim(`kiiex:${apiKey}`, nonce, o.nonceRetentionMs), o.storeTimeoutMs);
    if (!first) throw new KeygateError('replayed', 'Nonce was already used with this APIKey; sign each AuthenticateUser with a new Nonce');
  }
  return authenticatedReply(await tokens.issue(apiKey), apexUser(credential));
}

function isStaticNonce(credential: ActiveKiiexCredential, nonce: string): boolean {
  return typeof credential.nonce === 'string' && credential.nonce !== '' && constantTimeEqualStrings(nonce, credential.nonce);
}
