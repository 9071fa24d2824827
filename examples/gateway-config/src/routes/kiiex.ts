import { randomBytes } from 'node:crypto';
import { kiiex, MIN_SESSION_KEY_BYTES, type KiiexCredential } from '@keygate/kiiex';
import type { SecretEntry } from '@keygate/core';
import { byKeyId, type KiiexEntry } from '../credentials.js';
import type { GatewayRoute, RouteContext } from '../route.js';

/**
 * `/kiiex/*`: `POST /kiiex/AuthenticateUser` and `POST /kiiex/LogOut` own their replies; every other path needs an
 * `aptoken`. KEYGATE_SESSION_KEY signs the tokens, so processes sharing it accept each other's; without it each
 * process signs with its own random key. Used Nonces and logged-out tokens live in the shared stores (Redis when
 * REDIS_URL is set).
 */
export function kiiexRoute({ config, stores, log }: RouteContext): GatewayRoute {
  const grouped = byKeyId(config.credentials.kiiex, (c) => c.apiKey);
  const secrets = new Map([...grouped].map(([apiKey, { first, secrets }]) => [apiKey, credential(first, secrets)]));
  const { authenticateUser, logOut, session } = kiiex({
    secrets,
    sessionKey: sessionKey(config.sessionKey, stores, log),
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

/**
 * One random key per gateway (keyed by its stores), made on the first build: a credentials reload rebuilds the
 * routes, and must neither end every session by drawing a new key nor repeat the warning.
 */
const randomKeys = new WeakMap<object, Uint8Array>();

function sessionKey(configured: string | undefined, gateway: object, log: (line: string) => void): string | Uint8Array {
  if (configured === undefined) {
    let key = randomKeys.get(gateway);
    if (key === undefined) {
      log('KEYGATE_SESSION_KEY is not set: Kiiex session tokens are signed with a random per-process key, so no other process accepts them');
      randomKeys.set(gateway, (key = randomBytes(32)));
    }
    return key;
  }
  if (Buffer.byteLength(configured, 'utf8') < MIN_SESSION_KEY_BYTES) {
    throw new Error(`KEYGATE_SESSION_KEY must be at least ${MIN_SESSION_KEY_BYTES} bytes (try \`openssl rand -hex 32\`)`);
  }
  return configured;
}

/** The APEX user of a key (its first entry; loadCredentials checked that repeated entries agree) and all its secrets. */
function credential(entry: KiiexEntry, secrets: readonly (string | SecretEntry)[]): KiiexCredential {
  return {
    secrets,
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
