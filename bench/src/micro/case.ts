import type { Scheme, SignedRequest } from '@keygate/core';

/** A request as a client sends it: header names in lower case, the exact body bytes. */
export interface BenchRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** keygate's side of a pair: resolves on accept, rejects with a KeygateError on refusal. */
export type Check = (req: SignedRequest) => Promise<unknown>;

/**
 * One scheme in the micro benchmark. Adding a scheme is a file exporting one of these plus a line in `cases.ts`.
 */
export interface MicroCase {
  /** Row label, also the key in the JSON line (`micro.<name>.<size>`). */
  readonly name: string;
  /**
   * Whether the MAC covers the body. When it does not (Valiant, Lenme, a Kiiex session token) the scheme verifies
   * on headers alone, so the case runs once, with an empty body, reported as "any" size.
   */
  readonly coversBody: boolean;
  /** A reference verifier, not keygate: reported for comparison, held to no target. */
  readonly reference?: boolean;
  /** Runs once before the case (e.g. to issue session tokens). */
  readonly setup?: () => Promise<void>;
  /** keygate's check, fresh per round (fresh in-memory stores, so each pre-signed salt or nonce is new to it). */
  readonly create: () => Check;
  /** keygate vs the minimal verifier on valid requests. */
  readonly verify?: {
    /** A valid request; salts and nonces fresh. Runs outside the timed loop. */
    readonly valid: (body: Uint8Array, index: number) => BenchRequest;
    /**
     * The anchor: the least code that still checks this request's MAC, createHmac + timingSafeEqual over the same
     * bytes with the secret already in hand. No lookup, no header validation, no freshness or replay check, no
     * error objects. Returns true when it verifies.
     */
    readonly minimal: (req: BenchRequest) => boolean;
  };
  /** An unknown key id vs a known id with a wrong signature: both must cost the same (one HMAC each). */
  readonly timing?: {
    readonly unknownId: (body: Uint8Array, index: number) => BenchRequest;
    readonly badSignature: (body: Uint8Array, index: number) => BenchRequest;
  };
}

/** keygate's check for a scheme: `scheme.verify` called directly, no adapter. */
export function schemeCheck(make: () => Scheme<unknown>): () => Check {
  return () => {
    const scheme = make();
    return (req) => scheme.verify(req);
  };
}

/** Wraps a BenchRequest the way the adapters do: header lookup by lower-case name, the body promise made once. */
export function toSignedRequest(req: BenchRequest): SignedRequest {
  const body = Promise.resolve(req.body);
  return {
    method: req.method,
    path: req.path,
    header: (name) => req.headers[name],
    body: () => body,
  };
}

export function request(method: string, path: string, headers: Readonly<Record<string, string>>, body: Uint8Array): BenchRequest {
  return { method, path, headers: Object.fromEntries(Object.entries(headers).map(([n, v]) => [n.toLowerCase(), v])), body };
}
