import type { Server } from 'node:http';
import { loadGatewayConfig, type GatewayConfig } from './config.js';
import type { GatewayRoute } from './route.js';
import { gatewayRoutes } from './routes/index.js';
import { gracefulStop, shutdownDeadlineMs, type ShutdownReport } from './shutdown.js';
import { createStores, type GatewayStores } from './stores.js';

export interface Gateway {
  readonly server: Server;
  readonly url: string;
  /** Closes every connection at once, then the stores. */
  close(): Promise<void>;
  /**
   * Graceful stop (SIGTERM, SIGINT): no new connections, requests in flight finish within KEYGATE_SHUTDOWN_DEADLINE,
   * idle keep-alive connections close, then the stores. A second call cuts what is left at once.
   */
  shutDown(reason: string): Promise<ShutdownReport>;
}

/** Builds a framework's HTTP server from the shared routes. */
export type GatewayFactory = (routes: readonly GatewayRoute[]) => Server;

/**
 * Loads the environment, builds the shared routes, starts the server and prints `listening on http://HOST:PORT`
 * once it accepts connections.
 */
export async function startGateway(name: string, factory: GatewayFactory, env: NodeJS.ProcessEnv = process.env): Promise<Gateway> {
  const config: GatewayConfig = loadGatewayConfig(env);
  const deadlineMs = shutdownDeadlineMs(env);
  const log = (line: string): void => console.log(`[${name}] ${line}`);
  const stores: GatewayStores = await createStores(config, log);
  const server = factory(gatewayRoutes({ config, stores, log }));
  const graceful = gracefulStop(server);
  let stopping: Promise<ShutdownReport> | undefined;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  log(`listening on ${url} (replay state: ${stores.kind})`);
  return {
    server,
    url,
    close: async () => {
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
 * Runs a gateway as a process: start, then on SIGTERM or SIGINT a graceful stop and exit 0 (a second signal cuts
 * the requests still in flight); a start-up error exits 1.
 */
export function runGatewayProcess(name: string, factory: GatewayFactory): void {
  startGateway(name, factory).then(
    (gateway) => {
      const stop = (signal: NodeJS.Signals): void => void gateway.shutDown(signal).then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (error: unknown) => {
      console.error(`[${name}] failed to start: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
