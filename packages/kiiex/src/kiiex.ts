import type { Endpoint, Scheme } from '@keygate/core';
import { authenticateUserEndpoint } from './authenticate-user.js';
import { logOutEndpoint } from './log-out.js';
import { resolveKiiexOptions, type KiiexOptions } from './options.js';
import { sessionScheme } from './session-scheme.js';
import { sessionTokens } from './session-token.js';

/** The three pieces `kiiex()` returns, all run by the adapters. */
export interface Kiiex {
  /** `POST AuthenticateUser`: HMAC check, then the APEX user object and a session token. */
  readonly authenticateUser: Endpoint;
  /** `POST LogOut`: revokes the `aptoken` it is called with. */
  readonly logOut: Endpoint;
  /** The `aptoken` scheme for every other route; principal = APIKey. */
  readonly session: Scheme<string>;
}

/**
 * Kiiex (AlphaPoint APEX style) authentication: one HMAC-signed AuthenticateUser, then an HS256 session token in
 * the `aptoken` header, ended by LogOut. Options are checked here: a session key under 32 bytes is a TypeError.
 *
 * @example
 * const { authenticateUser, logOut, session } = kiiex({ secrets, sessionKey: process.env.KEYGATE_SESSION_KEY! });
 * app.post('/kiiex/AuthenticateUser', keygateEndpoint(authenticateUser));
 * app.post('/kiiex/LogOut', keygateEndpoint(logOut));
 * app.use('/kiiex', keygate(session), (req, res) => res.json({ apiKey: req.keygate?.principal }));
 */
export function kiiex(options: KiiexOptions): Kiiex {
  const resolved = resolveKiiexOptions(options);
  const tokens = sessionTokens(resolved);
  return {
    authenticateUser: authenticateUserEndpoint(resolved, tokens),
    logOut: logOutEndpoint(resolved, tokens),
    session: sessionScheme(tokens),
  };
}
