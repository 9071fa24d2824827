import {
  authHeader, isJsonMediaType, KeygateError, MAX_AUTH_HEADER_LENGTH, mediaType, parseJson, type SignedRequest,
} from '@keygate/core';

/** The four AuthenticateUser fields, as signed: Signature = HMAC-SHA256(secret, Nonce + UserId + APIKey). */
export interface AuthFields {
  readonly apiKey: string;
  readonly signature: string;
  /** The canonical decimal text of UserId (a JSON integer 42 and the string "42" both read "42"). */
  readonly userId: string;
  readonly nonce: string;
  /** Where the fields came from: all four from headers, or all four from the JSON body. */
  readonly source: 'headers' | 'body';
}

/**
 * Vendor field names, which double as header names (HTTP header names are case-insensitive).
 *
 * @example
 * const body = { [KIIEX_FIELDS.apiKey]: apiKey, [KIIEX_FIELDS.userId]: '42' };   // { APIKey, UserId }
 */
export const KIIEX_FIELDS = {
  /** The API key. */
  apiKey: 'APIKey',
  /** Hex HMAC-SHA256(secret, Nonce + UserId + APIKey). */
  signature: 'Signature',
  /** The user the key belongs to. */
  userId: 'UserId',
  /** Single-use per APIKey. */
  nonce: 'Nonce',
  /** Optional, accepted and ignored: the signature does not cover it. */
  userName: 'UserName',
} as const;

type Field = 'apiKey' | 'signature' | 'userId' | 'nonce';
const REQUIRED: readonly Field[] = ['apiKey', 'signature', 'userId', 'nonce'];
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;
/** Decimal, no sign, no leading zeros: one text per number, so Nonce + UserId cannot be re-split (see readUserId). */
const CANONICAL_INTEGER = /^(?:0|[1-9][0-9]{0,15})$/;

/**
 * Reads APIKey, Signature, UserId and Nonce from the request headers when any of them is there, otherwise from the
 * JSON body (the vendor's OpenAPI document: all strings; UserId may also be a JSON integer). Never mixes sources,
 * so what was signed is unambiguous. The body is only read for the body variant.
 */
export async function readAuthFields(req: SignedRequest): Promise<AuthFields> {
  const headers = REQUIRED.map((field) => authHeader(req, KIIEX_FIELDS[field].toLowerCase(), KIIEX_FIELDS[field]));
  if (headers.some((value) => value !== undefined)) return complete(headers, 'headers');
  const body = await readJsonObject(req);
  return complete(REQUIRED.map((field) => bodyField(body, field)), 'body');
}

function complete(values: readonly (string | undefined)[], source: AuthFields['source']): AuthFields {
  const missing = REQUIRED.filter((_, index) => values[index] === undefined).map((field) => KIIEX_FIELDS[field]);
  if (missing.length > 0) {
    const where = source === 'headers' ? 'headers' : 'JSON body fields';
    throw new KeygateError(
      'missing_credentials',
      `APIKey, Signature, UserId and Nonce must all be sent, as headers or as JSON body fields; missing ${where}: ${missing.join(', ')}`,
    );
  }
  const [apiKey, signature, userId, nonce] = values as [string, string, string, string];
  return { apiKey, signature, userId: readUserId(userId), nonce, source };
}

/**
 * UserId must be canonical: the signed text is Nonce + UserId + APIKey, so if "042" were accepted for user 42 a
 * captured request could be re-split as Nonce + "0", UserId "42" and pass as a fresh Nonce.
 */
function readUserId(text: string): string {
  if (!CANONICAL_INTEGER.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new KeygateError('malformed_credentials', 'UserId must be a non-negative decimal integer without sign, spaces or leading zeros');
  }
  return text;
}

async function readJsonObject(req: SignedRequest): Promise<Record<string, unknown> | undefined> {
  const type = mediaType(req.header('content-type'));
  const bytes = await req.body();
  if (bytes.byteLength === 0) return undefined;
  if (type !== undefined && !isJsonMediaType(type)) {
    throw new KeygateError('content_type', 'send the AuthenticateUser fields as headers, or as a JSON body with Content-Type: application/json');
  }
  const parsed = parseJson(bytes);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new KeygateError('malformed_body', 'the JSON body must be an object with APIKey, Signature, UserId and Nonce');
  }
  return parsed as Record<string, unknown>;
}

function bodyField(body: Record<string, unknown> | undefined, field: Field): string | undefined {
  const name = KIIEX_FIELDS[field];
  if (body === undefined || !Object.hasOwn(body, name)) return undefined;
  const value = body[name];
  if (value === null || value === '') return undefined;
  if (field === 'userId' && typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new KeygateError('malformed_credentials', 'UserId must be a non-negative integer');
    return String(value);
  }
  if (typeof value !== 'string') {
    throw new KeygateError('malformed_credentials', `${name} must be a string${field === 'userId' ? ' or an integer' : ''}`);
  }
  if (value.length > MAX_AUTH_HEADER_LENGTH) {
    throw new KeygateError('malformed_credentials', `${name} is longer than ${MAX_AUTH_HEADER_LENGTH} characters`);
  }
  if (!VISIBLE_ASCII.test(value)) throw new KeygateError('malformed_credentials', `${name} must be visible ASCII without spaces`);
  return value;
}
