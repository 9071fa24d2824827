import { DUMMY_SECRET } from './crypto.js';
import { KeygateError } from './errors.js';
import { clockOption, type Clock } from './options.js';
import { callStore } from './store-call.js';

/**
 * A secret that verifies only inside a window, for rotation on a schedule. Outside it, the secret verifies nothing,
 * and a request signed with it costs the same HMACs and gets the same reply as one with a wrong signature.
 *
 * @example
 * const rotating: Credential = { secrets: [
 *   { secret: oldSecret, notAfter: Date.parse('2026-07-01T00:00:00Z') },
 *   { secret: newSecret, notBefore: Date.parse('2026-06-24T00:00:00Z') },
 * ] };
 */
export interface SecretEntry {
  /** The secret itself. */
  readonly secret: string;
  /** Epoch milliseconds from which the secret verifies (inclusive); absent: from the start. */
  readonly notBefore?: number | undefined;
  /** Epoch milliseconds up to which the secret verifies (inclusive); absent: with no end. */
  readonly notAfter?: number | undefined;
}

/**
 * A caller's secrets. Several at once allow rotation: any active one verifies. Each is a plain string (always
 * active) or a `SecretEntry` with a `notBefore` / `notAfter` window.
 */
export interface Credential {
  /** The secrets, any active one of which verifies. Never empty. */
  readonly secrets: readonly (string | SecretEntry)[];
}

/**
 * A credential as a scheme sees it after the lookup: every secret as text, and each secret outside its window
 * replaced by a random one nobody holds, so it is still computed (same work) but can never match.
 */
export type ActiveCredential<C extends Credential> = Omit<C, 'secrets'> & {
  /** Every secret as text; those outside their window are replaced by one nobody holds. */
  readonly secrets: readonly string[];
};

/** A value, or a promise of one: stores may answer synchronously or not, and are always awaited. */
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

/** Options of `secretLookup`. */
export interface SecretLookupOptions {
  /** How long an async store may take before the request fails closed with `store_unavailable` (ms). */
  readonly timeoutMs?: number;
  /** Clock in epoch milliseconds for secrets' `notBefore` / `notAfter` windows (default `Date.now`). */
  readonly now?: Clock;
}

/** Looks a key id up: the credential with only its active secrets usable, or undefined for an unknown id. */
export type SecretLookup<C extends Credential> = (id: string) => MaybePromise<ActiveCredential<C> | undefined>;

/**
 * Validates a store once at construction and returns a lookup that fails closed on errors, timeouts and bad data,
 * and that hands schemes each secret as text with the ones outside their window neutralised (see ActiveCredential).
 */
export function secretLookup<C extends Credential>(
  store: SecretStore<C>,
  options: SecretLookupOptions = {},
): SecretLookup<C> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const now = clockOption(options.now);
  const check = (credential: C | undefined): ActiveCredential<C> | undefined => {
    if (credential === undefined || credential === null) return undefined;
    const windowed = windowedSecrets(credential);
    if (windowed === undefined) {
      throw new KeygateError(
        'store_unavailable',
        'secret store returned a credential whose secrets are not a non-empty array of non-empty strings or { secret, notBefore?, notAfter? } entries',
      );
    }
    return windowed ? activeAt(credential, now()) : (credential as ActiveCredential<C>);
  };
  if (typeof store === 'function') return (id) => callStore('secret store', () => store(id), timeoutMs, check);
  if (!(store instanceof Map)) return invalidStore(store);
  // A plain Map answers synchronously and cannot throw, so only its data needs checking; a subclass's get() might.
  if (Object.getPrototypeOf(store) === Map.prototype) return (id) => check(store.get(id));
  return (id) => callStore('secret store', () => store.get(id), timeoutMs, check);
}

/** Whether a credential's secrets carry windows (true), are all plain strings (false), or are malformed (undefined). */
function windowedSecrets(value: unknown): boolean | undefined {
  const secrets = (value as Credential | null)?.secrets;
  if (!Array.isArray(secrets) || secrets.length === 0) return undefined;
  let windowed = false;
  for (const secret of secrets as unknown[]) {
    if (typeof secret === 'string') {
      if (secret === '') return undefined;
    } else if (isSecretEntry(secret)) windowed = true;
    else return undefined;
  }
  return windowed;
}

function isSecretEntry(value: unknown): value is SecretEntry {
  const entry = value as SecretEntry | null;
  return (
    typeof entry === 'object' && entry !== null && typeof entry.secret === 'string' && entry.secret !== '' &&
    isOptionalTime(entry.notBefore) && isOptionalTime(entry.notAfter)
  );
}

function isOptionalTime(value: unknown): boolean {
  return value === undefined || (typeof value === 'number' && Number.isFinite(value));
}

/** Same secrets, same count, same order: an inactive one becomes the dummy secret, so it costs an HMAC and never matches. */
function activeAt<C extends Credential>(credential: C, at: number): ActiveCredential<C> {
  const secrets = credential.secrets.map((entry) => {
    if (typeof entry === 'string') return entry;
    const { secret, notBefore, notAfter } = entry;
    return (notBefore === undefined || at >= notBefore) && (notAfter === undefined || at <= notAfter) ? secret : DUMMY_SECRET;
  });
  return { ...credential, secrets };
}

function invalidStore(store: unknown): never {
  throw new TypeError(`secrets must be a Map or a lookup function, got ${store === null ? 'null' : typeof store}`);
}
