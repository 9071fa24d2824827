import type { KeygateError } from './errors.js';
import type { HttpReply } from './scheme.js';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;

/** A JSON reply (`application/json; charset=utf-8`) of `value` with `status`. */
export function jsonReply(status: number, value: unknown): HttpReply {
  return { status, headers: JSON_HEADERS, body: JSON.stringify(value) };
}

/** keygate's own failure body, `{"code", "message"}`, for schemes whose vendor documents none. */
export function jsonErrorReply(error: KeygateError): HttpReply {
  return jsonReply(error.status, { code: error.code, message: error.message });
}
