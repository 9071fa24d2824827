import type { HttpReply, KeygateError, KeygateErrorCode } from '@keygate/core';
import type { ApexUser } from './credential.js';

/** Session tokens and failures must never be cached by a proxy or a browser. */
const HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } as const;

function reply(status: number, value: unknown): HttpReply {
  return { status, headers: HEADERS, body: JSON.stringify(value) };
}

/** AuthenticateUser's success body, as AlphaPoint APEX answers it. */
export function authenticatedReply(sessionToken: string, user: ApexUser): HttpReply {
  return reply(200, { authenticated: true, sessionToken, user, locked: false, requires2FA: false, errormsg: null });
}

/** LogOut's success body. */
export function loggedOutReply(): HttpReply {
  return reply(200, { result: true });
}

/** Codes an AuthenticateUser client caused; APEX answers them 200 with `authenticated: false`. */
const CLIENT_FAILURES: ReadonlySet<KeygateErrorCode> = new Set([
  'missing_credentials', 'malformed_credentials', 'unknown_key', 'bad_signature', 'user_mismatch', 'replayed',
  'malformed_body', 'content_type',
]);

/**
 * AuthenticateUser's failure: 200 `{"authenticated": false, "locked": false, "errormsg"}` for anything the client
 * got wrong (as APEX does), the error's own status for the rest (413, 503, 500). An unknown APIKey and a wrong
 * Signature read the same, so the answer does not tell which APIKeys exist; `error.code` still tells the log.
 */
export function authenticateFailureReply(error: KeygateError): HttpReply {
  const client = CLIENT_FAILURES.has(error.code);
  return reply(client ? 200 : error.status, { authenticated: false, locked: false, errormsg: authenticateErrorText(error) });
}

function authenticateErrorText(error: KeygateError): string {
  switch (error.code) {
    case 'unknown_key':
    case 'bad_signature':
      return 'Invalid APIKey or Signature: Signature must be the hex HMAC-SHA256 of Nonce + UserId + APIKey, keyed with the API secret';
    case 'user_mismatch':
      return 'UserId is not the user this APIKey belongs to';
    case 'missing_credentials':
    case 'malformed_credentials':
    case 'replayed':
    case 'malformed_body':
    case 'content_type':
    case 'body_too_large':
    case 'body_aborted':
    case 'unsupported_encoding':
      return error.message;
    case 'store_unavailable':
      return 'Authentication is temporarily unavailable; try again later';
    default:
      return 'Authentication failed because of a server error';
  }
}

/**
 * The aptoken scheme's and LogOut's failure, in APEX's generic response shape: 401 `{"result": false, "errormsg":
 * "Not Authorized", "errorcode": 20, "detail"}` for a missing or refused token; 400/413/415 "Invalid Request" (100)
 * for a bad body; 503/500 "Server Error" (102). `detail` says which rule failed, never the token.
 */
export function sessionFailureReply(error: KeygateError): HttpReply {
  const status = error.status;
  if (status === 401) return reply(401, apexError('Not Authorized', 20, error.message));
  if (status >= 400 && status < 500) return reply(status, apexError('Invalid Request', 100, error.message));
  const detail = error.code === 'store_unavailable' ? 'session store unavailable; try again later' : 'internal error';
  return reply(status, apexError('Server Error', 102, detail));
}

function apexError(errormsg: string, errorcode: number, detail: string): Record<string, unknown> {
  return { result: false, errormsg, errorcode, detail };
}
