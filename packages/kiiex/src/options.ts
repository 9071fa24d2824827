import {
  clockOption, hmacSha256, memoryNonceStore, memoryRevocationStore, positiveInteger, secretLookup,
  type Clock, type Hmac, type MaybePromise, type NonceStore, type RevocationStore, type SecretStore,
} from '@keygate/core';
import { checkedCredential, type ActiveKiiexCredential, type KiiexCredential } from './credential.js';

/**
 * Options of `kiiex()`, checked once at start-up.
 *
 * @example
 * const options: KiiexOptions = { secrets, sessionKey: process.env.KEYGATE_SESSION_KEY!, nonces: redisNonceStore(client) };
 */
export interface KiiexOptions {
  /** APIKey to credential (secrets, userId and the APEX user fields). A Map or a sync/async lookup function. */
  readonly secrets: SecretStore<KiiexCredential>;
  /**
   * Signs and verifies session tokens (HS256): a string (UTF-8) or bytes, at least 32 bytes. Every process that
   * shares it accepts the others' tokens. Keep it secret, like an API secret.
   */
  readonly sessionKey: string | Uint8Array;
  /** Remembers used Nonces per APIKey; default an in-memory store. Use `@keygate/redis` for several processes. */
  readonly nonces?: NonceStore;
  /** Holds logged-out token ids until they expire; default an in-memory store. */
  readonly revocations?: RevocationStore;
  /** JWT `iss` written and required (default 'keygate-kiiex'). */
  readonly issuer?: string;
  /** JWT `aud` written and required (default 'keygate-kiiex'). */
  readonly audience?: string;
  /** Session token lifetime in seconds (default 86 400, 24 h). */
  readonly sessionTtlSeconds?: number;
  /** How long a used Nonce stays refused, in ms (default the longer of 24 h and the session lifetime). */
  readonly nonceRetentionMs?: number;
  /**
   * Accept a credential's static `nonce` (the one some key exports carry) again and again. Other Nonces stay
   * single-use. Default false: every Nonce is single-use per APIKey.
   */
  readonly allowStaticNonce?: boolean;
  /** How long a store may take before the request fails closed with 503 (default 2000 ms). */
  readonly storeTimeoutMs?: number;
  /** Clock in epoch milliseconds (default Date.now); drives token iat/exp and their verification, and secrets' windows. */
  readonly now?: Clock;
  /** HMAC seam for tests; default HMAC-SHA256 from node:crypto. */
  readonly hmac?: Hmac;
}

export interface ResolvedKiiexOptions {
  /** Synchronous when the store is (a Map), so a session check costs no microtask turn of its own. */
  readonly lookup: (apiKey: string) => MaybePromise<ActiveKiiexCredential | undefined>;
  readonly sessionKey: Uint8Array;
  readonly nonces: NonceStore;
  readonly revocations: RevocationStore;
  readonly issuer: string;
  readonly audience: string;
  readonly sessionTtlSeconds: number;
  readonly nonceRetentionMs: number;
  readonly allowStaticNonce: boolean;
  readonly storeTimeoutMs: number;
  readonly now: Clock;
  readonly computeHmac: Hmac;
}

/** Session token lifetime when `sessionTtlSeconds` is not given: 24 h. */
export const DEFAULT_SESSION_TTL_SECONDS = 24 * 60 * 60;
/** JWT `iss` and `aud` when `issuer` / `audience` are not given. */
export const DEFAULT_ISSUER = 'keygate-kiiex';
/**
 * The shortest session key accepted, in bytes (HS256 wants a key as long as its 256-bit output).
 *
 * @example
 * if (Buffer.byteLength(key) < MIN_SESSION_KEY_BYTES) throw new Error('KEYGATE_SESSION_KEY is too short');
 */
export const MIN_SESSION_KEY_BYTES = 32;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Checks every option once; a mistake is a TypeError at start-up that never quotes a key. */
export function resolveKiiexOptions(options: KiiexOptions): ResolvedKiiexOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('kiiex() needs an options object with secrets and sessionKey');
  }
  const storeTimeoutMs = positiveInteger('storeTimeoutMs', options.storeTimeoutMs, 2000);
  const now = clockOption(options.now);
  const sessionTtlSeconds = positiveInteger('sessionTtlSeconds', options.sessionTtlSeconds, DEFAULT_SESSION_TTL_SECONDS);
  const lookup = secretLookup(options.secrets, { timeoutMs: storeTimeoutMs, now });
  if (options.hmac !== undefined && typeof options.hmac !== 'function') throw new TypeError('hmac must be a function');
  if (options.allowStaticNonce !== undefined && typeof options.allowStaticNonce !== 'boolean') {
    throw new TypeError('allowStaticNonce must be a boolean');
  }
  return {
    lookup: (apiKey) => {
      const credential = lookup(apiKey);
      return credential instanceof Promise ? credential.then(checkedCredential) : checkedCredential(credential);
    },
    sessionKey: sessionKeyBytes(options.sessionKey),
    nonces: storeOption('nonces', options.nonces, ['claim']) ?? memoryNonceStore({ now }),
    revocations: storeOption('revocations', options.revocations, ['revoke', 'isRevoked']) ?? memoryRevocationStore({ now }),
    issuer: nonEmptyString('issuer', options.issuer, DEFAULT_ISSUER),
    audience: nonEmptyString('audience', options.audience, DEFAULT_ISSUER),
    sessionTtlSeconds,
    nonceRetentionMs: positiveInteger('nonceRetentionMs', options.nonceRetentionMs, Math.max(DAY_MS, sessionTtlSeconds * 1000)),
    allowStaticNonce: options.allowStaticNonce ?? false,
    storeTimeoutMs,
    now,
    computeHmac: options.hmac ?? hmacSha256,
  };
}

/** A private copy of the session key, checked for length; the message names the rule, never the key. */
export function sessionKeyBytes(key: unknown): Uint8Array {
  let bytes: Uint8Array;
  if (typeof key === 'string') bytes = new Uint8Array(Buffer.from(key, 'utf8'));
  else if (key instanceof Uint8Array) bytes = new Uint8Array(key);
  else throw new TypeError(`sessionKey must be a string or a Uint8Array of at least ${MIN_SESSION_KEY_BYTES} bytes`);
  if (bytes.byteLength < MIN_SESSION_KEY_BYTES) {
    throw new TypeError(
      `sessionKey must be at least ${MIN_SESSION_KEY_BYTES} bytes, got ${bytes.byteLength}; generate one with \`openssl rand -hex 32\``,
    );
  }
  return bytes;
}

function nonEmptyString(name: string, value: string | undefined, fallback: string): string {
  const resolved = value ?? fallback;
  if (typeof resolved !== 'string' || resolved === '') throw new TypeError(`${name} must be a non-empty string`);
  return resolved;
}

function storeOption<T>(name: string, store: T | undefined, methods: readonly string[]): T | undefined {
  if (store === undefined) return undefined;
  const candidate = store as Record<string, unknown> | null;
  if (methods.some((m) => typeof candidate?.[m] !== 'function')) {
    throw new TypeError(`${name} must be a store with ${methods.map((m) => `${m}()`).join(' and ')}`);
  }
  return store;
}
