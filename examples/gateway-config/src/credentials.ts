import { readFileSync } from 'node:fs';
import type { SecretEntry } from '@keygate/core';

/**
 * When an entry's secret verifies: epoch milliseconds, both ends inclusive (the file may give either as epoch
 * milliseconds or as an ISO 8601 date; loading turns both into milliseconds).
 */
export interface SecretWindow { readonly notBefore?: number; readonly notAfter?: number }
export interface InqudEntry extends SecretWindow { readonly tokenId: string; readonly secret: string }
export interface ValiantEntry extends SecretWindow { readonly id: string; readonly key: string; readonly secret: string }
export interface KiiexEntry extends SecretWindow {
  readonly apiKey: string; readonly secret: string; readonly userId: number; readonly userName?: string;
  readonly email?: string; readonly emailVerified?: boolean; readonly accountId?: number; readonly omsId?: number;
  readonly use2FA?: boolean; readonly nonce?: string;
}
export interface LenmeEntry extends SecretWindow { readonly apiKey: string; readonly secret: string }

/**
 * The credentials file: one entry per secret. A key id listed more than once has several secrets (a rotation), each
 * with its own window; its other fields must then agree.
 */
export interface Credentials {
  readonly inqud: readonly InqudEntry[];
  readonly valiant: readonly ValiantEntry[];
  readonly kiiex: readonly KiiexEntry[];
  readonly lenme: readonly LenmeEntry[];
}

type Vendor = keyof Credentials;

const REQUIRED: Record<Vendor, readonly string[]> = {
  inqud: ['tokenId', 'secret'],
  valiant: ['id', 'key', 'secret'],
  kiiex: ['apiKey', 'secret'],
  lenme: ['apiKey', 'secret'],
};
const KEY_ID: Record<Vendor, string> = { inqud: 'tokenId', valiant: 'id', kiiex: 'apiKey', lenme: 'apiKey' };
/** Fields besides the secret and its window that repeated entries of one key id must share. */
const SHARED: Record<Vendor, readonly string[]> = {
  inqud: [],
  valiant: ['key'],
  kiiex: ['userId', 'userName', 'email', 'emailVerified', 'accountId', 'omsId', 'use2FA', 'nonce'],
  lenme: [],
};

/** ISO 8601 calendar date, optionally with a time, which then needs a zone: a local time would depend on the host. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
/** Epoch milliseconds below this are 1973: such a value is almost surely seconds. */
const MIN_EPOCH_MS = 1e11;

/** Reads and checks a credentials file; a mistake is an Error naming the entry and field, never a secret. */
export function loadCredentials(path: string): Credentials {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`KEYGATE_CREDENTIALS: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseCredentials(text, path);
}

/** Parses and checks the text of a credentials file (see loadCredentials). */
export function parseCredentials(text: string, path: string): Credentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // V8's message quotes the text around the mistake, which may be a secret: report only where it is.
    throw new Error(`KEYGATE_CREDENTIALS: ${path} is not valid JSON${jsonErrorPlace(text, error)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`KEYGATE_CREDENTIALS: ${path} must hold a JSON object`);
  }
  const file = parsed as Record<string, unknown>;
  const result: Record<string, unknown[]> = {};
  for (const vendor of Object.keys(REQUIRED) as Vendor[]) {
    const entries = file[vendor] ?? [];
    if (!Array.isArray(entries)) throw new Error(`KEYGATE_CREDENTIALS: "${vendor}" must be an array`);
    const firstOfKey = new Map<string, Record<string, unknown>>();
    result[vendor] = entries.map((entry: unknown, index) => {
      const where = `${vendor}[${index}]`;
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw new Error(`KEYGATE_CREDENTIALS: ${where} must be an object`);
      const fields = entry as Record<string, unknown>;
      for (const field of REQUIRED[vendor]) {
        if (typeof fields[field] !== 'string' || fields[field] === '') {
          throw new Error(`KEYGATE_CREDENTIALS: ${where}.${field} must be a non-empty string`);
        }
      }
      if (vendor === 'kiiex' && !(Number.isSafeInteger(fields['userId']) && (fields['userId'] as number) >= 0)) {
        throw new Error(`KEYGATE_CREDENTIALS: ${where}.userId must be a non-negative integer`);
      }
      const keyId = fields[KEY_ID[vendor]] as string;
      const first = firstOfKey.get(keyId);
      if (first === undefined) firstOfKey.set(keyId, fields);
      else {
        const differing = SHARED[vendor].find((field) => !Object.is(first[field], fields[field]));
        if (differing !== undefined) {
          throw new Error(`KEYGATE_CREDENTIALS: ${where} repeats the ${KEY_ID[vendor]} of an earlier entry with another ${differing}; entries of one key may differ only in secret, notBefore and notAfter`);
        }
      }
      return { ...fields, ...window(fields, where) };
    });
  }
  return result as unknown as Credentials;
}

function window(fields: Record<string, unknown>, where: string): SecretWindow {
  const notBefore = time(fields['notBefore'], `${where}.notBefore`);
  const notAfter = time(fields['notAfter'], `${where}.notAfter`);
  if (notBefore !== undefined && notAfter !== undefined && notBefore > notAfter) {
    throw new Error(`KEYGATE_CREDENTIALS: ${where} has notBefore after notAfter, so its secret would never verify`);
  }
  return { ...(notBefore !== undefined ? { notBefore } : {}), ...(notAfter !== undefined ? { notAfter } : {}) };
}

function time(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
    if (value < MIN_EPOCH_MS) throw new Error(`KEYGATE_CREDENTIALS: ${where} looks like seconds; give epoch milliseconds or an ISO 8601 date`);
    return value;
  }
  if (typeof value === 'string' && ISO_8601.test(value)) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return ms;
  }
  throw new Error(`KEYGATE_CREDENTIALS: ${where} must be epoch milliseconds or an ISO 8601 date with a time zone, such as 2026-07-01T00:00:00Z`);
}

/** ' at line L, column C' from a JSON.parse error's position, or '' when it gives none. */
function jsonErrorPlace(text: string, error: unknown): string {
  const position = /at position (\d+)/.exec(String((error as Error | null)?.message))?.[1];
  if (position === undefined) return '';
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  return ` at line ${line}, column ${Number(position) - before.lastIndexOf('\n')}`;
}

/**
 * The entries of one vendor grouped by key id: each id's first entry (its non-secret fields) and all its secrets,
 * a plain string when the entry has no window (the lookup's fast path) and a SecretEntry when it has one.
 *
 * @example
 * const secrets = new Map([...byKeyId(credentials.inqud, (e) => e.tokenId)].map(([id, { secrets }]) => [id, { secrets }]));
 */
export function byKeyId<E extends SecretWindow & { readonly secret: string }>(
  entries: readonly E[],
  keyId: (entry: E) => string,
): Map<string, { readonly first: E; readonly secrets: (string | SecretEntry)[] }> {
  const grouped = new Map<string, { first: E; secrets: (string | SecretEntry)[] }>();
  for (const entry of entries) {
    const { secret, notBefore, notAfter } = entry;
    const value = notBefore === undefined && notAfter === undefined ? secret : { secret, notBefore, notAfter };
    const group = grouped.get(keyId(entry));
    if (group === undefined) grouped.set(keyId(entry), { first: entry, secrets: [value] });
    else group.secrets.push(value);
  }
  return grouped;
}
