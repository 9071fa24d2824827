/** Every way a request can fail verification, with the HTTP status it maps to by default. */
export const KEYGATE_ERROR_STATUS = {
  missing_credentials: 401,
  malformed_credentials: 401,
  mode_not_allowed: 401,
  unknown_key: 401,
  bad_signature: 401,
  user_mismatch: 401,
  timestamp_out_of_range: 401,
  replayed: 401,
  session_invalid: 401,
  content_type: 400,
  malformed_body: 400,
  body_aborted: 400,
  body_too_large: 413,
  unsupported_encoding: 415,
  body_consumed: 500,
  internal_error: 500,
  store_unavailable: 503,
} as const satisfies Record<string, number>;

export type KeygateErrorCode = keyof typeof KEYGATE_ERROR_STATUS;

/**
 * The one error keygate rejects a request with. `message` names the header or rule that failed and is safe to log:
 * it never holds a secret, an expected signature or a session key.
 *
 * @example
 * if (isKeygateError(err) && err.code === 'replayed') metrics.replays++;
 */
export class KeygateError extends Error {
  override readonly name = 'KeygateError';
  readonly code: KeygateErrorCode;
  readonly status: number;

  constructor(code: KeygateErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = KEYGATE_ERROR_STATUS[code];
  }
}

export function isKeygateError(value: unknown): value is KeygateError {
  return value instanceof KeygateError;
}

/** Any failure that is not already a KeygateError becomes one that fails closed; the original stays as `cause`. */
export function toKeygateError(value: unknown): KeygateError {
  if (isKeygateError(value)) return value;
  return new KeygateError('internal_error', 'verification failed unexpectedly; the request was refused', { cause: value });
}
