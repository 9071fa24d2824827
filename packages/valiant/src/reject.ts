import type { HttpReply, KeygateError } from '@keygate/core';

/**
 * Valiant answers every failure with its status and an empty body: 401 for any authentication failure, 400 for a
 * wrong content type, and 413/500/503 for the rest. The reason stays in `err.message`, for the server's log only.
 *
 * @example
 * app.use('/valiant', keygate(scheme, {
 *   onError: (err, _req, res) => { log.warn(err.message); writeReply(res, rejectValiant(err)); },
 * }));
 */
export function rejectValiant(error: KeygateError): HttpReply {
  return { status: error.status, body: '' };
}
