import { pino, type Logger } from 'pino';

/** The levels LOG_LEVEL accepts, quietest last. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** The most a line waits for company before it is written. */
const FLUSH_MS = 1000;
/**
 * Lines gather up to this many bytes before a write (sonic-boom's minLength). Not more: sonic-boom measures the UTF-8
 * length of its whole pending string on every line it takes, so a line costs more the larger the batch (in process,
 * 4.7 µs a request line at 15 KiB, 3.0 µs at 4 KiB; `pnpm bench -- --only=observe`).
 */
const BATCH_BYTES = 4 * 1024;

/**
 * The gateway's logger: one JSON object per line on stdout, written by pino's own destination (sonic-boom). Lines are
 * formatted on the calling thread and gathered into synchronous writes of about 4 KiB, one write per dozen-odd
 * request lines: a write per line would cost more than formatting it (measured with `pnpm bench:profile`), and the
 * asynchronous destination, which hands every 4 KiB to libuv's thread pool, cost the Koa gateway about 10 µs more
 * CPU per request than this (paired runs of the shared gateway bench's run-one.sh, 2026-12-02). Synchronous also
 * means a log reader that falls behind slows the gateway down instead of growing its memory. No line waits more
 * than a second, lines that matter at once (start-up, reloads) are flushed as they are written (`logger.flush()`),
 * and what is buffered is written when the process exits. `LOG_LEVEL` sets the level (default `info`, which logs every
 * authenticated or refused request; `warn` keeps only problems). `dest` is a file descriptor or path (default 1).
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
  const destination = pino.destination({ dest, sync: true, minLength: BATCH_BYTES, periodicFlush: FLUSH_MS });
  return pino({ level, base: { gateway: name, pid: process.pid } }, destination);
}
