import { signInqud } from '@keygate/inqud';
import { signKiiex } from '@keygate/kiiex';
import { signLenme } from '@keygate/lenme';
import { signValiant } from '@keygate/valiant';
import { UsageError } from './secret.js';

/** One command-line option: parsed with node:util parseArgs and listed in the help. */
export interface OptionSpec {
  readonly name: string;
  /** The value's placeholder in the help; an option without one is a flag. */
  readonly value?: string;
  readonly short?: string;
  readonly required?: boolean;
  readonly description: string;
}

/** The parsed option values, by long name. */
export type OptionValues = Readonly<Record<string, string | boolean | undefined>>;

/** How one vendor's requests are signed from the command line. */
export interface SchemeCommand {
  readonly name: 'inqud' | 'valiant' | 'lenme' | 'kiiex';
  /** One line for `keygate sign --help`. */
  readonly summary: string;
  /** Options of this scheme only; the body and output options are added by the command. */
  readonly options: readonly OptionSpec[];
  /** `signed`: the signature covers the body; `unsigned`: a body may be sent but is not signed; `none`: no body. */
  readonly body: 'signed' | 'unsigned' | 'none';
  /** The body's Content-Type when the signer sets none and `--content-type` is not given; undefined: fixed by the signer. */
  readonly contentType?: string;
  /** The method without `--method`; otherwise POST with a body and GET without. */
  readonly method?: string;
  /** Paragraphs after the options in the scheme's help. */
  readonly notes: readonly string[];
  sign(values: OptionValues, secret: string, body: Uint8Array | undefined): Record<string, string>;
}

/** A required option's value (the command has checked that every required option is there). */
function required(values: OptionValues, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** `{ [name]: value }` when the option was given, else `{}`: spread into a signer's input. */
function given<N extends string>(values: OptionValues, name: N): Partial<Record<N, string>> {
  const value = values[name];
  return (typeof value === 'string' ? { [name]: value } : {}) as Partial<Record<N, string>>;
}

const inqud: SchemeCommand = {
  name: 'inqud',
  summary: 'X-Token-API-Id, X-HMAC-SHA256-Signature = hex HMAC-SHA256(secret, body + salt), X-Salt',
  options: [
    { name: 'token-id', value: 'TKN-…', required: true, description: 'the API token id (X-Token-API-Id)' },
    { name: 'salt', value: 'SALT', description: 'the salt to sign with (default: 32 random bytes as hex). A salt is single-use' },
  ],
  body: 'signed',
  contentType: 'application/json',
  notes: [
    'Signs the HMAC mode. The simple mode is not offered: it has no signature, its X-Token-API-Secret header is the',
    'secret itself, and keygate never prints a secret. Each printed request can be sent once: its salt is then used.',
  ],
  sign: (values, secret, body) =>
    signInqud({ tokenId: required(values, 'token-id'), secret, ...(body ? { body } : {}), ...given(values, 'salt') }),
};

const valiant: SchemeCommand = {
  name: 'valiant',
  summary: 'X-AUTH-ID, X-AUTH-SIGNED-KEY = base64 HMAC-SHA256(secret, key), Content-Type: application/vnd.api+json',
  options: [
    { name: 'id', value: 'UUID', required: true, description: 'the client uuid (X-AUTH-ID)' },
    { name: 'key', value: 'KEY', required: true, description: 'the API key that gets signed (it is not sent)' },
  ],
  body: 'unsigned',
  notes: [
    'The signed key covers no body, path or time: it is the same on every request, a bearer credential. Treat the',
    'printed headers like a password and send them over TLS only.',
  ],
  sign: (values, secret) => signValiant({ id: required(values, 'id'), key: required(values, 'key'), secret }),
};

const lenme: SchemeCommand = {
  name: 'lenme',
  summary: 'X-API-KEY, X-Timestamp, X-HMAC = hex HMAC-SHA256(secret, "<timestamp>:<secret>"); valid for ±300 s',
  options: [{ name: 'api-key', value: 'KEY', required: true, description: 'the API key (X-API-KEY)' }],
  body: 'unsigned',
  contentType: 'application/json',
  notes: [
    'The timestamp is now: send the request within the server\'s window (300 s by default). The HMAC covers neither',
    'body nor path, so within that window the printed headers are a bearer credential.',
  ],
  sign: (values, secret) => signLenme({ apiKey: required(values, 'api-key'), secret }),
};

const kiiex: SchemeCommand = {
  name: 'kiiex',
  summary: 'the AuthenticateUser call: APIKey, Signature = hex HMAC-SHA256(secret, Nonce + UserId + APIKey), UserId, Nonce',
  options: [
    { name: 'api-key', value: 'KEY', required: true, description: 'the API key (APIKey)' },
    { name: 'user-id', value: 'ID', required: true, description: 'the user the key belongs to (UserId)' },
    { name: 'nonce', value: 'NONCE', description: 'the nonce to sign with (default: 16 random bytes as hex). A nonce is single-use' },
  ],
  body: 'none',
  method: 'POST',
  notes: [
    'Prints the AuthenticateUser request, its four fields as headers as the vendor documents it; with --curl, give the',
    'AuthenticateUser URL (for the demo gateway http://127.0.0.1:3000/kiiex/AuthenticateUser). The answer carries a',
    'sessionToken: send it as the aptoken header on later calls. --json prints the fields as a JSON object, which is',
    'also a valid AuthenticateUser body.',
  ],
  sign: (values, secret) => ({ ...signKiiex({ apiKey: required(values, 'api-key'), userId: required(values, 'user-id'), secret, ...given(values, 'nonce') }) }),
};

/** Every scheme `keygate sign` knows, in the order the help lists them. */
export const SCHEMES: readonly SchemeCommand[] = [inqud, valiant, lenme, kiiex];
