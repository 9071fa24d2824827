import { randomBytes } from 'node:crypto';
import { kiiex, MIN_SESSION_KEY_BYTES, type KiiexCredential } from '@keygate/kiiex';
import type { KiiexEntry } from '../credentials.js';
import type { GatewayRoute, RouteContext } from '../route.js';

/**
 * `/kiiex/*`: `POST /kiiex/AuthenticateUser` and `POST /kiiex/LogOut` own their replies; every other path needs an
 * `aptoken`. KEYGATE_SESSION_KEY signs the tokens, so processes sharing it accept each other's; without it each
 * process signs with its own random key. Used Nonces and logged-out tokens live in the shared stores (Redis when
 * REDIS_URL is set).
 */
export function kiiexRoute({ config, stores, log }: RouteContext): GatewayRoute {
  const secrets = new Map(config.credentials.kiiex.map((entry, index) => [entry.apiKey, credential(entry, index)]));
  const { authenticateUser, logOut, session } = kiiex({
    secrets,
    sessionKey: sessionKey(config.sessionKey, log),
    nonces: stores.nonces,
    revocations: stores.revocations,
    ...(config.kiiexNonceRetentionMs === undefined ? {} : { nonceRetentionMs: config.kiiexNonceRetentionMs }),
  });
  return {
    prefix: '/kiiex',
    scheme: session,
    endpoints: [
      { method: 'POST', path: '/AuthenticateUser', endpoint: authenticateUser },
      { method: 'POST', path: '/LogOut', endpoint: logOut },
    ],
  };
}

function sessionKey(configured: string | undefined, log: (line: string) => void): string | Uint8Array {
  if (configured === undefined) {
    log('KEYGATE_SESSION_KEY is not set: Kiiex session tokens are signed with a random per-process key, so no other process accepts them');
    return randomBytes(32);
  }
  if (Buffer.byteLength(configured, 'utf8') < MIN_SESSION_KEY_BYTES) {
    throw new Error(`KEYGATE_SESSION_KEY must be at least ${MIN_SESSION_KEY_BYTES} bytes (try \`openssl rand -hex 32\`)`);
  }
  return configured;
}

function credential(entry: KiiexEntry, index: number): KiiexCredential {
  if (!Number.isSafeInteger(entry.userId) || entry.userId < 0) {
    throw new Error(`KEYGATE_CREDENTIALS: kiiex[${index}].userId must be a non-negative integer`);
  }
  return {
    secrets: [entry.secret],
    userId: entry.userId,
    userName: entry.userName,
    email: entry.email,
    emailVerified: entry.emailVerified,
    accountId: entry.accountId,
    omsId: entry.omsId,
    use2FA: entry.use2FA,
    nonce: entry.nonce,
  };
}
