import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { loadGatewayConfig, type GatewayConfig } from './config.js';
import type { Credentials } from './credentials.js';
import { gatewayLogger } from './log.js';
import { countStoreErrors, gatewayMetrics } from './metrics.js';
import { opsRoutes, type OpsRoute } from './ops.js';
import { credentialsReloader, reloadableRoutes } from './reload.js';
import { requestLog } from './request-log.js';
import type { GatewayRoute } from './route.js';
import { gatewayRoutes } from './routes/index.js';
import { gracefulStop, shutdownDeadlineMs, type ShutdownReport } from './shutdown.js';
import { createStores, type GatewayStores } from './stores.js';

export interface Gateway {
  readonly server: Server;
  readonly url: string;
  /**
   * Reloads the credentials file now (what SIGHUP does); false when the file was refused and the old set kept.
   * `trigger` names the cause in the log line.
   */
  reloadCredentials(trigger?: string): boolean;
  /** Closes every connection at once, then the stores. */
  close(): Promise<void>;
  /**
   * Graceful stop (SIGTERM, SIGINT): no new connections, requests in flight finish within KEYGATE_SHUTDOWN_DEADLINE,
   * idle keep-alive connections close, then the stores. A second call cuts what is left at once.
   */
  shutDown(reason: string): Promise<ShutdownReport>;
}

/**
 * Builds a framework's HTTP server from the shared routes (each mounted with `route.options` passed through to the
 * adapter) and the operations endpoints (each mounted for GET at its path); asynchronously where the framework loads
 * its plugins first (Fastify).
 */
export type GatewayFactory = (routes: readonly GatewayRoute[], ops: readonly OpsRoute[]) => Server | Promise<Server>;

/**
 * Loads the environment, builds the shared routes, starts the server and logs `listening on http://HOST:PORT` once
 * it accepts connections. Every authenticated or refused request is logged and counted (see requestLog); the
 * credentials file is reloaded by `reloadCredentials()` and, when KEYGATE_CREDENTIALS names it, whenever it changes.
 */
export async function startGateway(
  name: string,
  factory: GatewayFactory,
  env: NodeJS.ProcessEnv = process.env,
  logger: Logger = gatewayLogger(name, env),
): Promise<Gateway> {
  const config: GatewayConfig = loadGatewayConfig(env);
  const deadlineMs = shutdownDeadlineMs(env);
  const log = (line: string): void => logger.info(line);
  const stores: GatewayStores = await createStores(config, log);
  const metrics = gatewayMetrics(stores);
  const counted = countStoreErrors(stores, metrics);
  const build = (credentials: Credentials): GatewayRoute[] => gatewayRoutes({ config: { ...config, credentials }, stores: counted, log });
  const routes = reloadableRoutes(build(config.credentials), { onAudit: requestLog(logger, metrics) });
  const server = await factory(routes.routes, opsRoutes({ stores, metrics }));
  const graceful = gracefulStop(server);
  let stopping: Promise<ShutdownReport> | undefined;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  // The gateways' contract: tests, benchmarks and orchestrators wait for this line, so it is written whatever LOG_LEVEL
  // says. The URL is followed by a space: they read it with `listening on (http://\S+)`.
  logger.child({}, { level: 'info' }).info({ url, replayState: stores.kind }, `listening on ${url} (replay state: ${stores.kind})`);
  logger.flush();
  const reloader = credentialsReloader({
    path: config.credentialsPath,
    watch: Boolean(env['KEYGATE_CREDENTIALS']),
    logger,
    apply: (credentials) => routes.replace(build(credentials)),
  });
  return {
    server,
    url,
    reloadCredentials: (trigger = 'reloadCredentials()') => reloader.reload(trigger),
    close: async () => {
      reloader.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stores.close();
    },
    shutDown: (reason) => {
      if (stopping !== undefined) {
        log(`${reason} again: closing every connection now`);
        void graceful.stop(0);
        return stopping;
      }
      reloader.close();
      stopping = graceful.openConnections().then(async (open) => {
        log(`${reason}: no new connections; ${open} open, requests in flight may take ${deadlineMs} ms to finish`);
        const report = await graceful.stop(deadlineMs);
        await stores.close();
        log(report.cut === 0 ? 'stopped: every request finished' : `stopped at the deadline: ${report.cut} connection${report.cut === 1 ? '' : 's'} cut`);
        return report;
      });
      return stopping;
    },
  };
}

/**
 * Runs a gateway as a process: start, reload the credentials file on SIGHUP, and on SIGTERM or SIGINT a graceful
 * stop and exit 0 (a second signal cuts the requests still in flight); a start-up error exits 1. Start-up, reloads
 * and shutdown are logged, and every buffered line is written before the process exits.
 */
export function runGatewayProcess(name: string, factory: GatewayFactory): void {
  let logger: Logger;
  try {
    logger = gatewayLogger(name);
  } catch (error) {
    console.error(`[${name}] failed to start: ${(error as Error).message}`);
    process.exit(1);
  }
  logWarnings(logger);
  // Handled from the start: a SIGHUP during start-up (when the file is being read anyway) must not kill the process.
  let started: Gateway | undefined;
  process.on('SIGHUP', () => void started?.reloadCredentials('SIGHUP'));
  startGateway(name, factory, process.env, logger).then(
    (gateway) => {
      started = gateway;
      const stop = (signal: NodeJS.Signals): void => void gateway.shutDown(signal).then(() => exitAfterFlush(logger, 0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (error: unknown) => {
      logger.fatal(`failed to start: ${error instanceof Error ? error.message : String(error)}`);
      exitAfterFlush(logger, 1);
    },
  );
}

/**
 * Exits once every buffered line is written. pino also flushes on exit, but synchronously and possibly ahead of an
 * asynchronous write still in flight, which can reorder the last lines.
 */
function exitAfterFlush(logger: Logger, code: number): void {
  logger.flush(() => process.exit(code));
}

/**
 * Process warnings (keygate's own: a consumed body, a failing audit hook, a filling replay store; and Node's) become
 * JSON lines of the log instead of Node's plain-text lines on stderr, so the log stays one JSON object per line and
 * each warning appears once.
 */
function logWarnings(logger: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) => {
    logger.warn({ warning: warning.name, ...(warning.code !== undefined ? { code: warning.code } : {}) }, warning.message);
    logger.flush();
  });
}
