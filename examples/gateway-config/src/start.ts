import type { Server } from 'node:http';
import { loadGatewayConfig, type GatewayConfig } from './config.js';
import type { GatewayRoute } from './route.js';
import { gatewayRoutes } from './routes/index.js';
import { createStores, type GatewayStores } from './stores.js';

export interface Gateway {
  readonly server: Server;
  readonly url: string;
  close(): Promise<void>;
}

/** Builds a framework's HTTP server from the shared routes. */
export type GatewayFactory = (routes: readonly GatewayRoute[]) => Server;

/**
 * Loads the environment, builds the shared routes, starts the server and prints `listening on http://HOST:PORT`
 * once it accepts connections.
 */
export async function startGateway(name: string, factory: GatewayFactory, env: NodeJS.ProcessEnv = process.env): Promise<Gateway> {
  const config: GatewayConfig = loadGatewayConfig(env);
  const log = (line: string): void => console.log(`[${name}] ${line}`);
  const stores: GatewayStores = await createStores(config, log);
  const server = factory(gatewayRoutes({ config, stores, log }));
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
  };
}

/** Runs a gateway as a process: start, then close cleanly on SIGINT/SIGTERM; a start-up error exits 1. */
export function runGatewayProcess(name: string, factory: GatewayFactory): void {
  startGateway(name, factory).then(
    (gateway) => {
      const stop = (): void => void gateway.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: unknown) => {
      console.error(`[${name}] failed to start: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
