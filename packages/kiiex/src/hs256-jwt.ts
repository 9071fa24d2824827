import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { decodeBase64Url, KeygateError } from '@keygate/core';

/** The claim rules a session token must meet, in jose's terms (`jwtVerify` options). */
export interface ClaimRules {
  readonly issuer: string;
  readonly audience: string;
  /** Epoch seconds, floored, as jose's `currentDate` is. */
  readonly nowSeconds: number;
}

/** The claims every session token carries. */
export interface VerifiedClaims {
  readonly jti: string;
  readonly sub: string;
  readonly exp: number;
}

/** Verifies a compact HS256 JWS: header, then MAC, then claims. Throws `session_invalid` naming the failed rule. */
export type Hs256Verifier = (token: string, rules: ClaimRules) => VerifiedClaims;

/** What jose writes for `setProtectedHeader({ alg: 'HS256', typ: 'JWT' })`, the header of every token issued here. */
const ISSUED_HEADER = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
const REQUIRED = ['jti', 'sub', 'iat', 'exp'] as const;
/** Far above any token this package issues (APIKey is at most 512 characters), far below a header flood. */
const MAX_TOKEN_LENGTH = 4096;
const NOT_A_SESSION_TOKEN = 'is not a session token issued by AuthenticateUser';

const invalid = (detail: string): KeygateError => new KeygateError('session_invalid', `aptoken ${detail}`);

/**
 * HS256 verification with `node:crypto` (createHmac + timingSafeEqual on the calling thread) and the claim checks of
 * jose's `jwtVerify`. jose verifies HMACs through WebCrypto, whose every call is a round trip to libuv's thread pool:
 * about 20 times the cost of the MAC itself for a token this size. Tokens are still issued by jose.
 *
 * Only the signature segment is checked character by character: the MAC covers the header and payload segments as
 * the exact text received, so any character changed or added there fails the MAC.
 */
export function hs256Verifier(key: Uint8Array): Hs256Verifier {
  const secretKey = createSecretKey(key); // copies the bytes, as the WebCrypto import did
  return (token, rules) => {
    if (token.length > MAX_TOKEN_LENGTH) throw invalid(NOT_A_SESSION_TOKEN);
    const firstDot = token.indexOf('.');
    const lastDot = token.lastIndexOf('.');
    if (firstDot < 1 || lastDot === firstDot + 1 || token.indexOf('.', firstDot + 1) !== lastDot) {
      throw invalid(NOT_A_SESSION_TOKEN);
    }
    const provided = canonicalSignature(token.slice(lastDot + 1));
    checkHeader(token.slice(0, firstDot));
    const expected = createHmac('sha256', secretKey).update(token.slice(0, lastDot)).digest();
    if (!timingSafeEqual(expected, provided)) {
      throw invalid('signature does not verify with this server\'s session key');
    }
    return checkClaims(decodeJsonSegment(token.slice(firstDot + 1, lastDot), 'payload'), rules);
  };
}

/**
 * A 32-byte signature is 43 base64url characters, the last carrying 2 unused bits. Decoders ignore those bits (and
 * Node's also takes `+` and `/`), so several spellings of one token would verify; only the canonical one is accepted:
 * any changed character is a different, refused token.
 */
function canonicalSignature(segment: string): Buffer {
  const signature = decodeBase64Url(segment, 32);
  if (signature === undefined) throw invalid(NOT_A_SESSION_TOKEN);
  return signature;
}

/** `alg` pinned to HS256, `typ` JWT (jose's comparison: case-insensitive, `application/` optional), no `crit`. */
function checkHeader(segment: string): void {
  if (segment === ISSUED_HEADER) return;
  const header = decodeJsonSegment(segment, 'header');
  if (header['alg'] !== 'HS256') throw invalid('must be signed with HS256');
  if ('crit' in header || header['b64'] !== undefined) throw invalid('header uses an extension this server does not accept');
  const typ = header['typ'];
  if (typeof typ !== 'string' || typ.toLowerCase().replace(/^application\//, '') !== 'jwt') {
    throw invalid('typ header is not accepted here (expected JWT)');
  }
}

function decodeJsonSegment(segment: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw invalid('is not a well-formed session token');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** The rules jose's `jwtVerify` applies with issuer, audience, requiredClaims and currentDate, and no tolerance. */
function checkClaims(claims: Record<string, unknown>, rules: ClaimRules): VerifiedClaims {
  for (const name of REQUIRED) {
    if (claims[name] === undefined) throw invalid(`${name} claim is not accepted here (missing)`);
  }
  const { jti, sub, iat, exp, nbf, iss, aud } = claims;
  if (iss !== rules.issuer) throw invalid('iss claim is not accepted here (check_failed)');
  if (!(aud === rules.audience || (Array.isArray(aud) && aud.includes(rules.audience)))) {
    throw invalid('aud claim is not accepted here (check_failed)');
  }
  if (typeof iat !== 'number') throw invalid('iat claim is not accepted here (invalid)');
  if (nbf !== undefined) {
    if (typeof nbf !== 'number') throw invalid('nbf claim is not accepted here (invalid)');
    if (nbf > rules.nowSeconds) throw invalid('nbf claim is not accepted here (check_failed)');
  }
  if (typeof exp !== 'number') throw invalid('exp claim is not accepted here (invalid)');
  if (exp <= rules.nowSeconds) throw invalid('has expired; call AuthenticateUser again');
  if (typeof jti !== 'string' || jti === '' || typeof sub !== 'string' || sub === '') {
    throw invalid('lacks a valid jti, sub or exp claim');
  }
  return { jti, sub, exp };
}
