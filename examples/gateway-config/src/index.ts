export { DEMO_CREDENTIALS_PATH, loadGatewayConfig, type GatewayConfig, type RedisTarget } from './config.js';
export { parseDuration } from './duration.js';
export { loadCredentials, type Credentials } from './credentials.js';
export { createStores, type GatewayStores } from './stores.js';
export { echo, isEmptyReply, type EchoInput, type GatewayRoute, type RouteContext } from './route.js';
export { gatewayRoutes } from './routes/index.js';
export { openScheme } from './open-scheme.js';
export { runGatewayProcess, startGateway, type Gateway, type GatewayFactory } from './start.js';
export { DEFAULT_SHUTDOWN_DEADLINE_MS, gracefulStop, shutdownDeadlineMs, type GracefulStop, type ShutdownReport } from './shutdown.js';
