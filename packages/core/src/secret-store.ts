import { KeygateError } from './errors.js';
import { callStore } from './store-call.js';

/** A caller's secrets. Several at once allow rotation: any one of them verifies. */
export interface Credential {
  readonly secrets: readonly string[];
}

export type MaybePromise<T> = T | Promise<T>;

/**
 * Where a scheme looks a key id up: a Map, or a function (sync or async) returning the credential or undefined.
 *
 * @example
 * const secrets: SecretStore = new Map([['TKN-1', { secrets: [process.env.TOKEN_SECRET!] }]]);
 * const fromDb: SecretStore = async (id) => db.credentials.find(id);
 */
export type SecretStore<C extends Credential = Credential> =
  | ReadonlyMap<string, C>
  | ((id: string) => MaybePromise<C | undefined>);

export interface SecretLookupOptions {
  /** How long an async store may take before the request fails closed with `store_unavailable` (ms). */
  readonly timeoutMs?: number;
}

export type SecretLookup<C extends Credential> = (id: string) => MaybePromise<C | undefined>;

/** Validates a store once at construction and returns a lookup that fails closed on errors, timeouts and bad data. */
export function secretLookup<C extends Credential>(
  store: SecretStore<C>,
  options: SecretLookupOptions = {},
): SecretLookup<C> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const check = (credential: C | undefined): C | undefined => {
    if (credential === undefined || credential === null) return undefined;
    if (!isCredential(credential)) {
      throw new KeygateError('store_unavailable', 'secret store returned a credential without a non-empty secrets array');
    }
    return credential;
  };
  if (typeof store === 'function') return (id) => callStore('secret store', () => store(id), timeoutMs, check);
  if (!(store instanceof Map)) return invalidStore(store);
  // A plain Map answers synchronously and cannot throw, so only its data needs checking; a subclass's get() might.
  if (Object.getPrototypeOf(store) === Map.prototype) return (id) => check(store.get(id));
  return (id) => callStore('secret store', () => store.get(id), timeoutMs, check);
}

function isCredential(value: unknown): value is Credential {
  const secrets = (value as Credential | null)?.secrets;
  return Array.isArray(secrets) && secrets.length > 0 && secrets.every((s) => typeof s === 'string' && s !== '');
}

function invalidStore(store: unknown): never {
  throw new TypeError(`secrets must be a Map or a lookup function, got ${store === null ? 'null' : typeof store}`);
}
