import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { parseDuration } from './duration.js';

/** How long a gateway waits for requests in flight once asked to stop, when KEYGATE_SHUTDOWN_DEADLINE is unset: 10 s. */
export const DEFAULT_SHUTDOWN_DEADLINE_MS = 10_000;

/** KEYGATE_SHUTDOWN_DEADLINE: milliseconds, or a duration ('500ms', '10s', '1m'). A bad value stops the start-up. */
export function shutdownDeadlineMs(env: NodeJS.ProcessEnv): number {
  const text = env['KEYGATE_SHUTDOWN_DEADLINE'];
  return text === undefined || text === '' ? DEFAULT_SHUTDOWN_DEADLINE_MS : parseDuration(text, 'KEYGATE_SHUTDOWN_DEADLINE');
}

/** What a graceful stop found: requests it let finish, and connections it had to cut at the deadline. */
export interface ShutdownReport {
  readonly finished: number;
  readonly cut: number;
}

export interface GracefulStop {
  /** Requests being answered right now. */
  inFlight(): number;
  /**
   * Stops accepting connections, lets the requests in flight finish (their answers, and any answer written from now
   * on, carry `Connection: close`), closes keep-alive connections as soon as they are idle, and resolves once the
   * server has no connection left, or at `deadlineMs`, when the rest is cut. Calling it again cuts at once.
   */
  stop(deadlineMs: number): Promise<ShutdownReport>;
}

/** How often connections that went idle while stopping are closed. */
const SWEEP_MS = 25;

/**
 * Graceful stop for a Node HTTP server, whatever framework answers its requests (install it before any request
 * arrives). The pattern for an application that mounts keygate itself is the same: see the README.
 *
 * @example
 * const graceful = gracefulStop(server);
 * process.once('SIGTERM', () => void graceful.stop(10_000).then(() => process.exit(0)));
 */
export function gracefulStop(server: Server): GracefulStop {
  const responses = new Set<ServerResponse>();
  let stopping: Promise<ShutdownReport> | undefined;
  let finished = 0;
  let cut: (() => void) | undefined;

  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    responses.add(res);
    // 'close' follows 'finish', and also comes alone when the client goes away first.
    res.once('close', () => {
      if (responses.delete(res) && stopping !== undefined) finished++;
    });
    if (stopping !== undefined) res.setHeader('connection', 'close');
  });

  return {
    inFlight: () => responses.size,
    stop(deadlineMs) {
      if (stopping !== undefined) {
        cut?.();
        return stopping;
      }
      for (const res of responses) if (!res.headersSent) res.setHeader('connection', 'close');
      stopping = new Promise((resolve) => {
        let cutCount = 0;
        // A response that was already going out as keep-alive leaves an idle connection behind: close it then.
        const sweep = setInterval(() => server.closeIdleConnections(), SWEEP_MS);
        const deadline = setTimeout(() => cut?.(), deadlineMs);
        cut = () => {
          cut = undefined;
          cutCount = responses.size;
          server.closeAllConnections();
        };
        // close() also closes the connections idle right now, and calls back once every connection is gone.
        server.close(() => {
          clearInterval(sweep);
          clearTimeout(deadline);
          resolve({ finished, cut: cutCount });
        });
      });
      return stopping;
    },
  };
}
