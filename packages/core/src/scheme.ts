import type { KeygateError } from './errors.js';
import type { SignedRequest } from './signed-request.js';

/** An HTTP answer as exact bytes: what a scheme rejects with, or what an endpoint replies. */
export interface HttpReply {
  /** The HTTP status code. */
  readonly status: number;
  /** Response headers, lower-case names. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The exact body; absent or empty for none. */
  readonly body?: string | Uint8Array;
}

/** What a scheme resolves with once a request verifies. */
export interface Verified<P> {
  /** Who the request comes from: the key id, client uuid or API key, depending on the scheme. */
  readonly principal: P;
  /** A scheme that had to parse the body (Lenme, Kiiex) hands it on so it is not parsed twice. */
  readonly body?: unknown;
}

/** One vendor's authentication scheme. Adapters run it; it never sees a framework object. */
export interface Scheme<P> {
  /** The scheme's name (`inqud`, `valiant`, …), as adapters report it next to the principal. */
  readonly name: string;
  /** False when the signature covers no body bytes: adapters then verify before reading the body. */
  readonly readsBody: boolean;
  /**
   * Lower-case name of the header that carries the caller's key id, so audit events can report it as sent (the
   * id only: never a header holding a secret or signature). Omit it when the id travels inside a credential.
   */
  readonly keyIdHeader?: string;
  /** Resolves the verified principal or rejects with a KeygateError. */
  verify(req: SignedRequest): Promise<Verified<P>>;
  /** Turns a failure into the vendor's own response. */
  reject(error: KeygateError): HttpReply;
}

/**
 * A request handler that owns its response (Kiiex AuthenticateUser, LogOut). Adapters give it the same raw body
 * handling as a scheme. `handle` should await `req.body()` before any side effect (spending a nonce, revoking a
 * token), so a body over the limit is refused before it has one; the runner reads the body after `handle` anyway,
 * so such a body is never answered with success.
 */
export interface Endpoint {
  /** The endpoint's name, for messages (`AuthenticateUser`, `LogOut`). */
  readonly name: string;
  /** As `Scheme.keyIdHeader`: the header with the caller's key id, for audit events. */
  readonly keyIdHeader?: string;
  /** Handles the request and resolves the whole reply, success or vendor-style failure. */
  handle(req: SignedRequest): Promise<HttpReply>;
  /** The reply for a failure outside `handle`'s own (body too large, consumed, an unexpected error). */
  reject(error: KeygateError): HttpReply;
}
