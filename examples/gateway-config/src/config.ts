import { fileURLToPath } from 'node:url';
import { loadCredentials, type Credentials } from './credentials.js';

export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  readonly credentials: Credentials;
  readonly redisUrl: string | undefined;
  readonly sessionKey: string | undefined;
}

export const DEMO_CREDENTIALS_PATH = fileURLToPath(new URL('../demo-credentials.json', import.meta.url));

/** The environment contract of DESIGN section 8: PORT, HOST, KEYGATE_CREDENTIALS, REDIS_URL, KEYGATE_SESSION_KEY. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const port = Number(env['PORT'] ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer 0-65535, got ${env['PORT']}`);
  return {
    port,
    host: env['HOST'] || '127.0.0.1',
    credentials: loadCredentials(env['KEYGATE_CREDENTIALS'] || DEMO_CREDENTIALS_PATH),
    redisUrl: env['REDIS_URL'] || undefined,
    sessionKey: env['KEYGATE_SESSION_KEY'] || undefined,
  };
}
