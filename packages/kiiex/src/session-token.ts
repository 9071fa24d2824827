import { randomBytes, webcrypto } from 'node:crypto';
import { SignJWT } from 'jose';
import { callStore, KeygateError, type MaybePromise, type SignedRequest } from '@keygate/core';
import { hs256Verifier } from './hs256-jwt.js';
import type { ResolvedKiiexOptions } from './options.js';

/** What a verified session token says. */
export interface SessionClaims {
  /** The token's unique id (`jti`), the unit LogOut revokes. */
  readonly id: string;
  /** The APIKey that authenticated (`sub`). */
  readonly apiKey: string;
  /** When the token expires (`exp`), in epoch milliseconds. */
  readonly expiresAtMs: number;
}

export interface SessionTokens {
  issue(apiKey: string): Promise<string>;
  /**
   * Verifies signature, alg, issuer, audience, expiry, revocation, and that the token's APIKey is still in the secret
   * store; throws (or, when a store is async, rejects) with `session_invalid` (401). Synchronous when the stores are,
   * so a session check costs no microtask turn of its own.
   */
  verify(token: string): MaybePromise<SessionClaims>;
}

/**
 * The header that carries the session token after AuthenticateUser.
 *
 * @example
 * await fetch(`${base}/GetUserInfo`, { headers: { [APTOKEN_HEADER]: sessionToken } });
 */
export const APTOKEN_HEADER = 'aptoken';
const ALGORITHM = 'HS256';

/**
 * HS256 session tokens, issued with jose (the key imported once as a non-extractable CryptoKey) and verified on the
 * calling thread with node:crypto (see hs256-jwt.ts): the algorithm pinned, jti/sub/iat/exp required, iss and aud
 * checked, expiry by the injected clock.
 */
export function sessionTokens(o: ResolvedKiiexOptions): SessionTokens {
  const key = webcrypto.subtle.importKey('raw', o.sessionKey, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  key.catch(() => {}); // awaited on every use; this only keeps a rejection from being reported as unhandled first
  const verifyHs256 = hs256Verifier(o.sessionKey);
  return {
    async issue(apiKey) {
      const issuedAt = Math.floor(o.now() / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setJti(randomBytes(16).toString('base64url'))
        .setSubject(apiKey)
        .setIssuer(o.issuer)
        .setAudience(o.audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + o.sessionTtlSeconds)
        .sign(await key);
    },
    verify(token) {
      const { jti, sub, exp } = verifyHs256(token, {
        issuer: o.issuer,
        audience: o.audience,
        nowSeconds: Math.floor(o.now() / 1000),
      });
      const session: SessionClaims = { id: jti, apiKey: sub, expiresAtMs: exp * 1000 };
      const revoked = callStore('revocation store', () => o.revocations.isRevoked(jti), o.storeTimeoutMs);
      const unlessRevoked = (r: boolean): MaybePromise<SessionClaims> => {
        if (r) throw new KeygateError('session_invalid', 'aptoken was ended by LogOut; call AuthenticateUser again');
        const credential = o.lookup(session.apiKey);
        return credential instanceof Promise ? credential.then((c) => whileKeyExists(c, session)) : whileKeyExists(credential, session);
      };
      return revoked instanceof Promise ? revoked.then(unlessRevoked) : unlessRevoked(revoked);
    },
  };
}

/**
 * A session lives no longer than its APIKey: removing a key from the secret store (a credentials reload, say) ends
 * its sessions at once instead of leaving them valid until they expire. Rotating a key's secret keeps them.
 */
function whileKeyExists(credential: unknown, session: SessionClaims): SessionClaims {
  if (credential === undefined) {
    throw new KeygateError('session_invalid', 'aptoken belongs to an APIKey that is no longer configured; authenticate with a current key');
  }
  return session;
}

/** Reads the aptoken header: missing or not visible ASCII is refused before any crypto. */
export function readAptoken(req: SignedRequest): string {
  const token = req.header(APTOKEN_HEADER);
  if (token === undefined || token === '') {
    throw new KeygateError('missing_credentials', 'aptoken header is missing; send the sessionToken that AuthenticateUser returned');
  }
  return token;
}
