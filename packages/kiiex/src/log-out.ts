import { callStore, type Endpoint } from '@keygate/core';
import type { ResolvedKiiexOptions } from './options.js';
import { loggedOutReply, sessionFailureReply } from './replies.js';
import { readAptoken, type SessionTokens } from './session-token.js';

/**
 * LogOut: verifies the `aptoken` header and revokes that token's `jti` until the token's own expiry, so it is
 * refused afterwards by every process sharing the RevocationStore. 200 `{"result": true}`; a bad token is a 401.
 *
 * @example
 * app.post('/kiiex/LogOut', keygateEndpoint(kiiex({ secrets, sessionKey }).logOut));
 */
export function logOutEndpoint(o: ResolvedKiiexOptions, tokens: SessionTokens): Endpoint {
  return {
    name: 'kiiex-logout',
    async handle(req) {
      const session = await tokens.verify(readAptoken(req));
      await req.body(); // a body over the limit is refused (413) before the token is revoked
      await callStore('revocation store', () => o.revocations.revoke(session.id, session.expiresAtMs), o.storeTimeoutMs);
      return loggedOutReply();
    },
    reject: sessionFailureReply,
  };
}
