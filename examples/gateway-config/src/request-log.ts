import { randomBytes } from 'node:crypto';
import type { AuditHook } from '@keygate/core';
import type { Logger } from 'pino';
import type { GatewayMetrics } from './metrics.js';

/**
 * The gateway's `onAudit` hook: counts every authenticated or refused request in the metrics and writes one JSON
 * line for it: request id, method, path, scheme, outcome, code, status, latency and the key id as sent. Every field
 * comes from the AuditEvent, which holds no secret, signature, salt, token or body. A refusal keygate answered with
 * a 5xx (a store down) is logged at `warn`, everything else at `info`.
 *
 * The request id is the client's (or the proxy's) `X-Request-Id` when sent, otherwise one made here: a random
 * per-process prefix and a counter, unique across restarts and cheap to make.
 *
 * @example
 * keygate(route.scheme, { onAudit: requestLog(logger, metrics) });
 */
export function requestLog(logger: Logger, metrics: GatewayMetrics): AuditHook {
  const prefix = randomBytes(4).toString('hex');
  let sequence = 0;
  return (event) => {
    metrics.observe(event);
    const level = event.status !== undefined && event.status >= 500 ? 'warn' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    logger[level](
      {
        reqId: event.requestId ?? `${prefix}-${(++sequence).toString(36)}`,
        method: event.method,
        path: event.path,
        scheme: event.scheme,
        outcome: event.outcome,
        code: event.code ?? null,
        // An accepted verification goes on to the gateway's route, and every route answers it with 200.
        status: event.status ?? 200,
        latencyMs: Math.round(event.durationMs * 1000) / 1000,
        keyId: event.keyId ?? null,
      },
      event.outcome === 'accepted' ? 'request accepted' : 'request refused',
    );
  };
}
