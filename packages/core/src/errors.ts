/** Every way a request can fail verification, with the HTTP status it maps to by default. */
export const KEYGATE_ERROR_STATUS = {
  /** An auth header is absent or empty. */
  missing_credentials: 401,
  /** An auth header is duplicated, not visible ASCII, too long, or not in the scheme's format. */
  malformed_credentials: 401,
  /** The request uses a mode this verifier was configured to refuse (Inqud `modes`). */
  mode_not_allowed: 401,
  /** No credential for this key id (it still cost one HMAC, like a known id). */
  unknown_key: 401,
  /** The signature or secret does not match. */
  bad_signature: 401,
  /** The key belongs to another user (Kiiex `UserId`). */
  user_mismatch: 401,
  /** Outside the scheme's time window (Lenme). */
  timestamp_out_of_range: 401,
  /** The nonce or salt was already used. */
  replayed: 401,
  /** The session token is missing, malformed, expired or revoked (Kiiex `aptoken`). */
  session_invalid: 401,
  /** The scheme requires another media type (Valiant). */
  content_type: 400,
  /** The body is not valid UTF-8 JSON where JSON is required. */
  malformed_body: 400,
  /** The client closed the connection mid-body, or sent fewer bytes than declared. */
  body_aborted: 400,
  /** Over the adapter's `limit`; the connection is closed. */
  body_too_large: 413,
  /** A `Content-Encoding` other than identity: the signature covers the bytes as sent. */
  unsupported_encoding: 415,
  /** Another parser read the body and saved no raw bytes: a mounting mistake. */
  body_consumed: 500,
  /** An unexpected failure; the request is refused. */
  internal_error: 500,
  /** A store threw, rejected, timed out, returned bad data or is full: fail closed. */
  store_unavailable: 503,
} as const satisfies Record<string, number>;

/** Every `code` a KeygateError can carry: narrow on it with `switch (err.code)`. */
export type KeygateErrorCode = keyof typeof KEYGATE_ERROR_STATUS;

/**
 * The one error keygate rejects a request with. `message` names the header or rule that failed and is safe to log:
 * it never holds a secret, an expected signature or a session key.
 *
 * @example
 * if (isKeygateError(err) && err.code === 'replayed') metrics.replays++;
 */
export class KeygateError extends Error {
  /** Always `'KeygateError'`. */
  override readonly name = 'KeygateError';
  /** What failed, for code to branch on. */
  readonly code: KeygateErrorCode;
  /** The HTTP status this failure maps to by default (`KEYGATE_ERROR_STATUS[code]`). */
  readonly status: number;

  constructor(code: KeygateErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = KEYGATE_ERROR_STATUS[code];
  }
}

/** True when `value` is a KeygateError: a type guard for `catch` blocks and `onError` handlers. */
export function isKeygateError(value: unknown): value is KeygateError {
  return value instanceof KeygateError;
}

/** Any failure that is not already a KeygateError becomes one that fails closed; the original stays as `cause`. */
export function toKeygateError(value: unknown): KeygateError {
  if (isKeygateError(value)) return value;
  return new KeygateError('internal_error', 'verification failed unexpectedly; the request was refused', { cause: value });
}
