export { kiiex, type Kiiex } from './kiiex.js';
export { signKiiex, type KiiexAuthFields, type KiiexSignInput } from './sign.js';
export { KIIEX_FIELDS } from './auth-fields.js';
export { APTOKEN_HEADER, type SessionClaims } from './session-token.js';
export type { ApexUser, KiiexCredential } from './credential.js';
export {
  DEFAULT_ISSUER, DEFAULT_SESSION_TTL_SECONDS, MIN_SESSION_KEY_BYTES, type KiiexOptions,
} from './options.js';
