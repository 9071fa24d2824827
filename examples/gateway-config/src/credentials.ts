import { readFileSync } from 'node:fs';

export interface InqudEntry { readonly tokenId: string; readonly secret: string }
export interface ValiantEntry { readonly id: string; readonly key: string; readonly secret: string }
export interface KiiexEntry {
  readonly apiKey: string; readonly secret: string; readonly userId: number; readonly userName?: string;
  readonly email?: string; readonly emailVerified?: boolean; readonly accountId?: number; readonly omsId?: number;
  readonly use2FA?: boolean; readonly nonce?: string;
}
export interface LenmeEntry { readonly apiKey: string; readonly secret: string }

export interface Credentials {
  readonly inqud: readonly InqudEntry[];
  readonly valiant: readonly ValiantEntry[];
  readonly kiiex: readonly KiiexEntry[];
  readonly lenme: readonly LenmeEntry[];
}

const REQUIRED: Record<keyof Credentials, readonly string[]> = {
  inqud: ['tokenId', 'secret'],
  valiant: ['id', 'key', 'secret'],
  kiiex: ['apiKey', 'secret'],
  lenme: ['apiKey', 'secret'],
};

/** Reads and checks a credentials file; a mistake is a start-up error naming the entry, never the secret. */
export function loadCredentials(path: string): Credentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`KEYGATE_CREDENTIALS: cannot read ${path} as JSON (${(error as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object') throw new Error(`KEYGATE_CREDENTIALS: ${path} must hold a JSON object`);
  const file = parsed as Record<string, unknown>;
  const result: Record<string, unknown[]> = {};
  for (const [vendor, fields] of Object.entries(REQUIRED)) {
    const entries = file[vendor] ?? [];
    if (!Array.isArray(entries)) throw new Error(`KEYGATE_CREDENTIALS: "${vendor}" must be an array`);
    entries.forEach((entry: Record<string, unknown> | null, index) => {
      for (const field of fields) {
        if (typeof entry?.[field] !== 'string' || entry[field] === '') {
          throw new Error(`KEYGATE_CREDENTIALS: ${vendor}[${index}].${field} must be a non-empty string`);
        }
      }
    });
    result[vendor] = entries;
  }
  return result as unknown as Credentials;
}
