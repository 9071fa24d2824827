export { MAX_AUDIT_KEY_ID_LENGTH, type AuditEvent, type AuditHook } from './audit.js';
export { KeygateError, KEYGATE_ERROR_STATUS, isKeygateError, toKeygateError, type KeygateErrorCode } from './errors.js';
export { decodeBase64, decodeBase64Url, decodeHex } from './encoding.js';
export { constantTimeEqual, constantTimeEqualStrings, DUMMY_SECRET, hmacSha256, sha256, type Hmac, type HmacInput } from './crypto.js';
export { authHeader, isJsonMediaType, mediaType, MAX_AUTH_HEADER_LENGTH } from './headers.js';
export { clockOption, nonNegativeInteger, parseByteLimit, positiveInteger, type Clock } from './options.js';
export { secretLookup, type ActiveCredential, type Credential, type MaybePromise, type SecretLookup, type SecretEntry, type SecretLookupOptions, type SecretStore } from './secret-store.js';
export { callStore } from './store-call.js';
export {
  DEFAULT_NONCE_STORE_BYTES, memoryNonceStore, type MemoryNonceStore, type MemoryNonceStoreOptions, type NonceStore, type NonceStoreUsage,
} from './nonce-store.js';
export { memoryRevocationStore, type MemoryRevocationStoreOptions, type RevocationStore } from './revocation-store.js';
export type { Endpoint, HttpReply, Scheme, Verified } from './scheme.js';
export type { SignedRequest } from './signed-request.js';
export { jsonErrorReply, jsonReply } from './json-reply.js';
export { readRequestBody, type BodySource } from './request-body.js';
export { signedRequestFromNode, type NodeSignedRequest } from './node-request.js';
export { signedRequestFromPort, type RequestPort } from './request-port.js';
export { DEFAULT_LINGER_BYTES, DEFAULT_LINGER_MS, discardUnreadBody, lingerBounds, settleUnreadBody, type LingerBounds, type LingerOptions, type UnreadBodyPlan } from './unread-body.js';
export { createEndpointRunner, createVerifier, DEFAULT_BODY_LIMIT, MAX_JSON_DEPTH, parseJson, parseJsonBody, type EndpointOutcome, type EndpointRunner, type Outcome, type RequestSource, type Verifier, type VerifierOptions } from './verifier.js';
export { writeReply } from './reply-writer.js';
export { fakeScheme, fakeSignedRequest, type FakeSchemeOptions, type FakeSignedRequest } from './fake-request.js';
