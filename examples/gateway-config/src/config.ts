import { fileURLToPath } from 'node:url';
import { parseByteLimit } from '@keygate/core';
import { loadCredentials, type Credentials } from './credentials.js';
import { parseDuration } from './duration.js';

/** Where replay and revocation state live when not in this process: one Redis, or the nodes of a Redis Cluster. */
export type RedisTarget =
  | { readonly kind: 'single'; readonly url: string }
  | { readonly kind: 'cluster'; readonly urls: readonly string[] };

export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  readonly credentials: Credentials;
  /** The file `credentials` came from (KEYGATE_CREDENTIALS or the bundled demo file), reloaded on SIGHUP. */
  readonly credentialsPath: string;
  readonly redis: RedisTarget | undefined;
  readonly sessionKey: string | undefined;
  /** Memory budget of the in-process replay store (KEYGATE_REPLAY_MAX_BYTES); undefined: the store's default. */
  readonly replayMaxBytes: number | undefined;
  /** Hashes per expiry slice of the Redis nonce store (KEYGATE_REDIS_NONCE_BUCKETS); undefined: the store's 4096. */
  readonly redisNonceBuckets: number | undefined;
  /** How long an Inqud salt stays used (KEYGATE_INQUD_SALT_RETENTION); undefined: the scheme's 24 h. */
  readonly inqudSaltRetentionMs: number | undefined;
  /** How long a Kiiex Nonce stays used (KEYGATE_KIIEX_NONCE_RETENTION); undefined: the scheme's default. */
  readonly kiiexNonceRetentionMs: number | undefined;
}

export const DEMO_CREDENTIALS_PATH = fileURLToPath(new URL('../demo-credentials.json', import.meta.url));

/**
 * The environment contract of DESIGN section 8 (PORT, HOST, KEYGATE_CREDENTIALS, REDIS_URL or REDIS_CLUSTER_URLS,
 * KEYGATE_SESSION_KEY) and the replay sizing variables. A mistake is a start-up error naming the variable.
 */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const port = Number(env['PORT'] ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer 0-65535, got ${env['PORT']}`);
  const credentialsPath = env['KEYGATE_CREDENTIALS'] || DEMO_CREDENTIALS_PATH;
  return {
    port,
    host: env['HOST'] || '127.0.0.1',
    credentials: loadCredentials(credentialsPath),
    credentialsPath,
    redis: redisTarget(env['REDIS_URL'] || undefined, env['REDIS_CLUSTER_URLS'] || undefined),
    sessionKey: env['KEYGATE_SESSION_KEY'] || undefined,
    replayMaxBytes: optional(env, 'KEYGATE_REPLAY_MAX_BYTES', (value, name) => startupError(() => parseByteLimit(name, value, 0))),
    redisNonceBuckets: optional(env, 'KEYGATE_REDIS_NONCE_BUCKETS', bucketCount),
    inqudSaltRetentionMs: optional(env, 'KEYGATE_INQUD_SALT_RETENTION', parseDuration),
    kiiexNonceRetentionMs: optional(env, 'KEYGATE_KIIEX_NONCE_RETENTION', parseDuration),
  };
}

function redisTarget(url: string | undefined, clusterUrls: string | undefined): RedisTarget | undefined {
  if (url !== undefined && clusterUrls !== undefined) {
    throw new Error('set either REDIS_URL (one Redis) or REDIS_CLUSTER_URLS (the nodes of a Redis Cluster), not both');
  }
  if (url !== undefined) return { kind: 'single', url: redisUrl('REDIS_URL', url) };
  if (clusterUrls === undefined) return undefined;
  const urls = clusterUrls.split(',').map((u) => u.trim()).filter((u) => u !== '');
  if (urls.length === 0) throw new Error('REDIS_CLUSTER_URLS must hold comma-separated redis://host:port URLs of the cluster nodes');
  return { kind: 'cluster', urls: urls.map((u) => redisUrl('REDIS_CLUSTER_URLS', u)) };
}

function redisUrl(name: string, value: string): string {
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    protocol = '';
  }
  // The URL may carry a password: name the variable and the rule, not the value.
  if (protocol !== 'redis:' && protocol !== 'rediss:') throw new Error(`${name} must hold redis:// or rediss:// URLs`);
  return value;
}

/** The Redis nonce store's `buckets`: a power of two up to 65 536, checked here so that a typo stops start-up before Redis is reached. */
function bucketCount(value: string, name: string): number {
  const buckets = Number(value);
  if (!/^\d+$/.test(value) || buckets < 1 || buckets > 65_536 || (buckets & (buckets - 1)) !== 0) {
    throw new Error(`${name} must be a power of two from 1 to 65536, got ${JSON.stringify(value)}`);
  }
  return buckets;
}

function optional<T>(env: NodeJS.ProcessEnv, name: string, parse: (value: string, name: string) => T): T | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : parse(value, name);
}

/** A TypeError from an option parser becomes a plain start-up error with the same message. */
function startupError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new Error((error as Error).message);
  }
}
