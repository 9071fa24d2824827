import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { parseDuration } from './duration.js';

/** How long a gateway waits for requests in flight once asked to stop, when KEYGATE_SHUTDOWN_DEADLINE is unset: 10 s. */
export const DEFAULT_SHUTDOWN_DEADLINE_MS = 10_000;

/** KEYGATE_SHUTDOWN_DEADLINE: milliseconds, or a duration ('500ms', '10s', '1m'). A bad value stops the start-up. */
export function shutdownDeadlineMs(env: NodeJS.ProcessEnv): number {
  const text = env['KEYGATE_SHUTDOWN_DEADLINE'];
  return text === undefined || text === '' ? DEFAULT_SHUTDOWN_DEADLINE_MS : parseDuration(text, 'KEYGATE_SHUTDOWN_DEADLINE');
}

/** How a graceful stop ended: connections still open at the deadline are cut, whatever they were doing. */
export interface ShutdownReport {
  readonly cut: number;
}

export interface GracefulStop {
  /** Connections open right now (in flight, idle, or closing lingering after an early answer). */
  openConnections(): Promise<number>;
  /**
   * Stops accepting connections, lets the requests in flight finish (a request still arriving on an open connection
   * is answered with `Connection: close`), closes keep-alive connections as soon as they are idle, and resolves once
   * the server has no connection left, or at `deadlineMs`, when the rest is cut. Calling it again cuts at once.
   */
  stop(deadlineMs: number): Promise<ShutdownReport>;
}

/** How often connections that went idle while stopping are closed. */
const SWEEP_MS = 25;

/**
 * Graceful stop for a Node HTTP server, whatever framework answers its requests. It costs nothing per request until
 * it is used. The pattern for an application that mounts keygate itself is the same: see the README.
 *
 * @example
 * const graceful = gracefulStop(server);
 * process.once('SIGTERM', () => void graceful.stop(10_000).then(() => process.exit(0)));
 */
export function gracefulStop(server: Server): GracefulStop {
  let stopping: Promise<ShutdownReport> | undefined;
  let cut: (() => void) | undefined;
  const openConnections = (): Promise<number> =>
    new Promise((resolve) => server.getConnections((error, count) => resolve(error ? 0 : count)));
  return {
    openConnections,
    stop(deadlineMs) {
      if (stopping !== undefined) {
        cut?.();
        return stopping;
      }
      server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => res.setHeader('connection', 'close'));
      stopping = new Promise((resolve) => {
        let cutCount = 0;
        // An answer that was already going out as keep-alive leaves an idle connection behind: close it then.
        const sweep = setInterval(() => server.closeIdleConnections(), SWEEP_MS);
        const deadline = setTimeout(() => cut?.(), deadlineMs);
        cut = () => {
          cut = undefined;
          void openConnections().then((count) => {
            cutCount = count;
            server.closeAllConnections();
          });
        };
        // close() also closes the connections idle right now, and calls back once every connection is gone.
        server.close(() => {
          clearInterval(sweep);
          clearTimeout(deadline);
          resolve({ cut: cutCount });
        });
      });
      return stopping;
    },
  };
}
