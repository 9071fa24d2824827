import { jsonReply, type HttpReply, type KeygateError, type KeygateErrorCode } from '@keygate/core';

/** The vendor's own texts (Django REST framework style), for the codes its document names. */
export const LENME_DETAILS = {
  /** A header is missing, empty or malformed. */
  notProvided: 'Authentication credentials were not provided.',
  /** The HMAC does not match (or, in single-use mode, was used). */
  invalidHmac: 'Invalid HMAC',
  /** No credential for the API key. */
  invalidApiKey: 'Invalid API Key',
  /** The timestamp is outside the window. */
  timestampOutOfRange: 'Timestamp out of range',
} as const;

const DETAIL_BY_CODE: Partial<Record<KeygateErrorCode, string>> = {
  missing_credentials: LENME_DETAILS.notProvided,
  malformed_credentials: LENME_DETAILS.notProvided,
  timestamp_out_of_range: LENME_DETAILS.timestampOutOfRange,
  unknown_key: LENME_DETAILS.invalidApiKey,
  bad_signature: LENME_DETAILS.invalidHmac,
  // The vendor says an HMAC is invalid once "expired"; a used one in single-use mode is expired in the same sense.
  replayed: LENME_DETAILS.invalidHmac,
  malformed_body: 'JSON parse error - request body is not valid UTF-8 JSON',
  body_aborted: 'Request body could not be read.',
  body_too_large: 'Request body is too large.',
  unsupported_encoding: 'Unsupported Content-Encoding: send the body uncompressed.',
};

/** For codes without a text of their own (including ones added to core later): a generic text per status. */
function fallback(status: number): string {
  if (status === 401) return LENME_DETAILS.notProvided;
  if (status === 503) return 'Service temporarily unavailable, try again later.';
  if (status >= 500) return 'A server error occurred.';
  return 'Bad request.';
}

/**
 * Lenme's failure response: JSON `{"detail": …}` with the vendor's texts, 401 for every authentication failure,
 * 400 for a body that is not JSON, 413/503/500 for the rest. The reason stays in `err.message`, for the log only.
 *
 * @example
 * rejectLenme(new KeygateError('unknown_key', 'X-API-KEY is not a known key'));
 * // { status: 401, headers: { 'content-type': … }, body: '{"detail":"Invalid API Key"}' }
 */
export function rejectLenme(error: KeygateError): HttpReply {
  return jsonReply(error.status, { detail: DETAIL_BY_CODE[error.code] ?? fallback(error.status) });
}
