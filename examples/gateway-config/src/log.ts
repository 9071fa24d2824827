import { pino, type Logger } from 'pino';

/** The levels LOG_LEVEL accepts, quietest last. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/**
 * The gateway's logger: one JSON object per line on stdout, written by pino through an asynchronous destination
 * (pino's cheapest path: lines are formatted on the calling thread but written in batches, without blocking on the
 * pipe). pino flushes what is buffered when the process exits. `LOG_LEVEL` sets the level (default `info`, which
 * logs every authenticated or refused request; `warn` keeps only problems).
 *
 * @example
 * const logger = gatewayLogger('express-gateway');
 * logger.info({ url }, `listening on ${url}`);
 */
export function gatewayLogger(name: string, env: NodeJS.ProcessEnv = process.env, dest: number | string = 1): Logger {
  const level = (env['LOG_LEVEL'] || 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got ${JSON.stringify(env['LOG_LEVEL'])}`);
  }
  return pino({ level, base: { gateway: name, pid: process.pid } }, pino.destination({ dest, sync: false }));
}
