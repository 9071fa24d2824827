import { auditRecorder, type AuditHook } from './audit.js';
import { KeygateError, toKeygateError } from './errors.js';
import { isJsonMediaType, mediaType } from './headers.js';
import { signedRequestFromNode, type NodeSignedRequest } from './node-request.js';
import { parseByteLimit } from './options.js';
import type { BodySource } from './request-body.js';
import { signedRequestFromPort, type RequestPort } from './request-port.js';
import type { Endpoint, HttpReply, Scheme } from './scheme.js';
import type { SignedRequest } from './signed-request.js';
import { lingerBounds, type LingerOptions } from './unread-body.js';

/** The default body limit: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * What the pipeline runs on. A Node request also settles the body a failure left unread (a bounded discard or a
 * lingering close, so the client reads its answer); through a port the runtime's server sees to that itself.
 */
type PipelineRequest = SignedRequest & { readonly settle?: NodeSignedRequest['settle'] };

/** Options of `createVerifier` and `createEndpointRunner`, passed through by every adapter. */
export interface VerifierOptions extends LingerOptions {
  /** Largest body read, in bytes or as '512kb' / '1mb'. Larger bodies are refused with 413 (default 1 MiB). */
  readonly limit?: number | string;
  /**
   * Receives one AuditEvent per request (scheme, outcome, code, status, key id as sent, duration, method, path),
   * after the answer is on its way: a hook that throws or is slow never changes or delays it.
   */
  readonly onAudit?: AuditHook;
}

/** One request as an adapter hands it to a verifier. */
export interface RequestSource extends BodySource {
  /** Path with query, as received (Express `req.originalUrl`, Koa `ctx.originalUrl`). */
  readonly url: string;
}

/**
 * A verification's result. Verified: `ok: true` with the `principal`, the exact `rawBody` and the `body` for the route
 * (parsed JSON for JSON media types, else undefined). Refused: `ok: false` with the `error` and the scheme's vendor
 * `reply`.
 */
export type Outcome<P> =
  | {
      /** Verified. */
      readonly ok: true;
      /** Who the request comes from. */
      readonly principal: P;
      /** The exact bytes received. */
      readonly rawBody: Buffer;
      /** The body for the route: parsed JSON for JSON media types, else undefined. */
      readonly body: unknown;
    }
  | {
      /** Refused. */
      readonly ok: false;
      /** Why: never holds a secret or an expected signature. */
      readonly error: KeygateError;
      /** The scheme's vendor response. */
      readonly reply: HttpReply;
    };

/** A scheme ready to verify requests, made by `createVerifier`. */
export interface Verifier<P> {
  /** The scheme it runs. */
  readonly scheme: Scheme<P>;
  /** Never throws: every failure, including a bug or a store fault, comes back as `{ ok: false }`. */
  verify(source: RequestSource): Promise<Outcome<P>>;
  /** The same for a request that is not a Node `IncomingMessage`: the adapter supplies headers and the body stream. */
  verifyPort(port: RequestPort): Promise<Outcome<P>>;
}

/**
 * The framework-agnostic half of every adapter: reads the body within the limit, runs the scheme, parses a JSON
 * body for the route and turns failures into the scheme's vendor response.
 *
 * @example
 * const verifier = createVerifier(inqud({ secrets }), { limit: '256kb' });
 * const outcome = await verifier.verify({ req, url: req.url, saved: undefined, consumedHint: 'mount keygate first' });
 */
export function createVerifier<P>(scheme: Scheme<P>, options: VerifierOptions = {}): Verifier<P> {
  assertScheme(scheme, 'scheme', 'verify');
  const { limit, audit, refuse } = pipeline(scheme, options);
  const run = async (req: PipelineRequest): Promise<Outcome<P>> => {
    const startedAt = audit === undefined ? 0 : performance.now();
    try {
      const verified = await scheme.verify(req);
      const rawBody = (await req.body()) as Buffer;
      const body = 'body' in verified ? verified.body : parseJsonBody(req, rawBody);
      audit?.(req, startedAt, { principal: verified.principal });
      return { ok: true, principal: verified.principal, rawBody, body };
    } catch (thrown) {
      return { ok: false, ...(await refuse(req, thrown, startedAt)) };
    }
  };
  // Not async themselves: each hands back run's promise, so neither path pays an extra promise or tick.
  return {
    scheme,
    verify(source) {
      return run(signedRequestFromNode(source, source.url, limit));
    },
    verifyPort(port) {
      return run(signedRequestFromPort(port, limit));
    },
  };
}

/** An endpoint ready to handle requests, made by `createEndpointRunner`. */
export interface EndpointRunner {
  /** The endpoint it runs. */
  readonly endpoint: Endpoint;
  /** Never throws: a failure is answered with the endpoint's own rejection. */
  handle(source: RequestSource): Promise<EndpointOutcome>;
  /** The same for a request that is not a Node `IncomingMessage` (see `Verifier.verifyPort`). */
  handlePort(port: RequestPort): Promise<EndpointOutcome>;
}

/**
 * What an endpoint runner answers: the reply to send, and the error behind it when it is a rejection (for the log).
 *
 * @example
 * const { reply, error } = await runner.handle(source);
 * if (error) log.warn(error.code);
 */
export interface EndpointOutcome {
  /** The reply to send. */
  readonly reply: HttpReply;
  /** The failure, when the reply is a rejection. */
  readonly error?: KeygateError;
}

/**
 * The same body handling as `createVerifier`, for endpoints that write their own reply. The body is read within the
 * limit even when the endpoint takes nothing from it, so a body over the limit is a 413, never ignored.
 */
export function createEndpointRunner(endpoint: Endpoint, options: VerifierOptions = {}): EndpointRunner {
  assertScheme(endpoint, 'endpoint', 'handle');
  const { limit, audit, refuse } = pipeline(endpoint, options);
  const run = async (req: PipelineRequest): Promise<EndpointOutcome> => {
    const startedAt = audit === undefined ? 0 : performance.now();
    try {
      const reply = await endpoint.handle(req);
      await req.body();
      audit?.(req, startedAt, { status: reply.status });
      return { reply };
    } catch (thrown) {
      return refuse(req, thrown, startedAt);
    }
  };
  return {
    endpoint,
    handle(source) {
      return run(signedRequestFromNode(source, source.url, limit));
    },
    handlePort(port) {
      return run(signedRequestFromPort(port, limit));
    },
  };
}

/** The parsed body a route gets: JSON for JSON media types, undefined for an empty body or any other type. */
export function parseJsonBody(req: SignedRequest, rawBody: Uint8Array): unknown {
  if (rawBody.byteLength === 0 || !isJsonMediaType(mediaType(req.header('content-type')))) return undefined;
  return parseJson(rawBody);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Deepest JSON nesting accepted. `JSON.parse` copes with far deeper input, but `JSON.stringify` and ordinary
 * recursive route code overflow the stack at a few thousand levels: refuse such a body here as a 400 instead of
 * letting it become a 500 later.
 */
export const MAX_JSON_DEPTH = 512;

/** Strict JSON from bytes: invalid UTF-8, invalid JSON or nesting over MAX_JSON_DEPTH is a 400 `malformed_body`. */
export function parseJson(bytes: Uint8Array): unknown {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(bytes));
  } catch (error) {
    throw new KeygateError('malformed_body', 'request body is not valid UTF-8 JSON', { cause: error });
  }
  if (nestingExceeds(bytes, MAX_JSON_DEPTH)) {
    throw new KeygateError('malformed_body', `request body nests JSON deeper than ${MAX_JSON_DEPTH} levels`);
  }
  return value;
}

/**
 * Depth of `[`/`{` outside strings, for bytes already known to be valid UTF-8 JSON: every structural character is
 * ASCII, so the bytes are scanned as they are (faster than the decoded text). Nesting past `max` takes at least
 * `max + 1` opening and as many closing brackets, so a body shorter than that cannot exceed it and is not scanned.
 */
function nestingExceeds(json: Uint8Array, max: number): boolean {
  const length = json.length;
  if (length < 2 * (max + 1)) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < length; i++) {
    const c = json[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

function assertScheme(value: unknown, what: string, method: string): void {
  const candidate = value as Record<string, unknown> | null;
  if (typeof candidate?.[method] !== 'function' || typeof candidate?.['reject'] !== 'function') {
    throw new TypeError(`${what} must be a keygate ${what} (an object with ${method}() and reject())`);
  }
}

/**
 * What the verifier and the endpoint runner share: the body limit, the audit hook, and how a failed request is
 * refused (the body_consumed warning once, the unread body settled, the vendor's reply, the refusal audited).
 */
function pipeline(target: Scheme<unknown> | Endpoint, options: VerifierOptions) {
  const limit = parseByteLimit('limit', options.limit, DEFAULT_BODY_LIMIT);
  const linger = lingerBounds(options);
  const warnOnce = consumedWarning();
  const audit = auditRecorder(options.onAudit, target);
  const refuse = async (req: PipelineRequest, thrown: unknown, startedAt: number): Promise<{ error: KeygateError; reply: HttpReply }> => {
    const error = toKeygateError(thrown);
    warnOnce(error);
    if (req.settle !== undefined) await req.settle(error, linger);
    const reply = target.reject(error);
    audit?.(req, startedAt, { code: error.code, status: reply.status });
    return { error, reply };
  };
  return { limit, audit, refuse };
}

/** A consumed body is a mounting mistake, not a client error: say so once in the process log. */
function consumedWarning(): (error: KeygateError) => void {
  let warned = false;
  return (error) => {
    if (error.code !== 'body_consumed' || warned) return;
    warned = true;
    process.emitWarning(error.message, { code: 'KEYGATE_BODY_CONSUMED' });
  };
}
