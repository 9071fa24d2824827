import type { Scheme } from '@keygate/core';
import { sessionFailureReply } from './replies.js';
import { readAptoken, type SessionTokens } from './session-token.js';

/**
 * The scheme for every Kiiex route after AuthenticateUser: verifies the `aptoken` header (readsBody false, so a bad
 * token is refused before the body is read). The principal is the APIKey that authenticated.
 *
 * @example
 * const { session } = kiiex({ secrets, sessionKey });
 * app.use('/kiiex', keygate(session), (req, res) => res.json({ apiKey: req.keygate?.principal }));
 */
export function sessionScheme(tokens: SessionTokens): Scheme<string> {
  return {
    name: 'kiiex',
    readsBody: false,
    verify: async (req) => {
      let session = tokens.verify(readAptoken(req));
      if (session instanceof Promise) session = await session;
      return { principal: session.apiKey };
    },
    reject: sessionFailureReply,
  };
}
