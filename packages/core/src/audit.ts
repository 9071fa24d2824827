import type { KeygateErrorCode } from './errors.js';
import type { SignedRequest } from './signed-request.js';

/**
 * One verification or endpoint call, as the `onAudit` hook receives it. Built only from the outcome and from
 * headers that carry no credential, so logging it whole is safe: it never holds a secret, a signature, a salt, a
 * session token or any byte of the body.
 *
 * @example
 * keygate(inqud({ secrets }), { onAudit: (event) => logger.info(event, 'keygate') });
 */
export interface AuditEvent {
  /** The name of the scheme or endpoint that ran: `inqud`, `valiant`, `lenme`, `kiiex`, `kiiex-authenticate-user`, … */
  readonly scheme: string;
  /** Whether the request was accepted (verified) or rejected. */
  readonly outcome: 'accepted' | 'rejected';
  /** The KeygateError code of a rejection; undefined when accepted. */
  readonly code: KeygateErrorCode | undefined;
  /**
   * The HTTP status keygate answered with. Undefined for an accepted verification: the request went on to the
   * route, which answers it. (Kiiex AuthenticateUser answers a refusal with 200, as the vendor does.)
   */
  readonly status: number | undefined;
  /**
   * The key id as the client sent it in the scheme's key-id header (`Scheme.keyIdHeader`), cut to
   * `MAX_AUDIT_KEY_ID_LENGTH` characters; for a scheme without one (Kiiex sessions) the verified principal of an
   * accepted request. Undefined when absent, sent twice, or sent only in the body (never read from a body).
   */
  readonly keyId: string | undefined;
  /** The `X-Request-Id` header as sent (cut to `MAX_AUDIT_KEY_ID_LENGTH`), to join events with proxy logs. */
  readonly requestId: string | undefined;
  /** Milliseconds from the start of verification to its outcome, reading the body included. */
  readonly durationMs: number;
  /** The HTTP method. */
  readonly method: string;
  /** The request path without its query string (a query is the client's and may hold anything), cut to 1024 characters. */
  readonly path: string;
}

/**
 * Receives one AuditEvent per verification or endpoint call. It runs after the reply has been handed to the
 * framework: a hook that throws, rejects or takes long never changes or delays an answer. Its first failure is
 * reported once with `process.emitWarning` (code `KEYGATE_AUDIT_HOOK_FAILED`); later ones are dropped.
 */
export type AuditHook = (event: AuditEvent) => void | Promise<void>;

/** Longest key id or request id an AuditEvent carries; longer values are cut. */
export const MAX_AUDIT_KEY_ID_LENGTH = 128;
const MAX_PATH_LENGTH = 1024;

/**
 * Events waiting for their hooks, as hook, event, hook, event… Flushed by one setImmediate per event-loop turn: by
 * then the adapter has written the reply (its continuation runs in the microtasks that follow the verify promise),
 * so the hook can be neither in the way of the answer nor able to change it.
 */
let queue: unknown[] = [];

/** Records the outcome of one request for the hook. */
export type AuditRecord = (
  req: SignedRequest,
  startedAt: number,
  outcome: { readonly code?: KeygateErrorCode; readonly status?: number; readonly principal?: unknown },
) => void;

/**
 * Validates an `onAudit` option once and returns the recorder a verifier calls per request, or undefined when there
 * is no hook (then a verifier does no audit work at all).
 */
export function auditRecorder(
  hook: AuditHook | undefined,
  source: { readonly name: string; readonly keyIdHeader?: string | undefined },
): AuditRecord | undefined {
  if (hook === undefined) return undefined;
  if (typeof hook !== 'function') throw new TypeError('onAudit must be a function receiving one AuditEvent');
  const { name: scheme, keyIdHeader } = source;
  return (req, startedAt, { code, status, principal }) => {
    const durationMs = performance.now() - startedAt;
    let keyId = keyIdHeader === undefined ? undefined : headerValue(req, keyIdHeader);
    // A scheme without a key-id header (a session token) still names the key once the request is accepted.
    if (keyIdHeader === undefined && code === undefined && typeof principal === 'string') keyId = cut(principal);
    const event: AuditEvent = {
      scheme,
      outcome: code === undefined ? 'accepted' : 'rejected',
      code,
      status,
      keyId,
      requestId: headerValue(req, 'x-request-id'),
      durationMs,
      method: req.method,
      path: pathOnly(req.path),
    };
    if (queue.length === 0) setImmediate(flush);
    queue.push(hook, event);
  };
}

function flush(): void {
  const batch = queue;
  queue = [];
  for (let i = 0; i < batch.length; i += 2) deliver(batch[i] as AuditHook, batch[i + 1] as AuditEvent);
}

function deliver(hook: AuditHook, event: AuditEvent): void {
  try {
    const result = hook(event);
    if (typeof (result as Promise<void> | undefined)?.then === 'function') {
      (result as Promise<void>).then(undefined, (error: unknown) => reportOnce(hook, error));
    }
  } catch (error) {
    reportOnce(hook, error);
  }
}

/** A header as sent, cut to length; undefined when absent, empty or duplicated (reading a duplicate throws). */
function headerValue(req: SignedRequest, name: string): string | undefined {
  let value: string | undefined;
  try {
    value = req.header(name);
  } catch {
    return undefined;
  }
  return value === undefined || value === '' ? undefined : cut(value);
}

function cut(value: string): string {
  return value.length > MAX_AUDIT_KEY_ID_LENGTH ? value.slice(0, MAX_AUDIT_KEY_ID_LENGTH) : value;
}

function pathOnly(path: string): string {
  const query = path.indexOf('?');
  const bare = query === -1 ? path : path.slice(0, query);
  return bare.length > MAX_PATH_LENGTH ? bare.slice(0, MAX_PATH_LENGTH) : bare;
}

const failedHooks = new WeakSet<AuditHook>();

/** A failing hook is reported the first time only: a broken logger must not flood the log it may be writing to. */
function reportOnce(hook: AuditHook, error: unknown): void {
  if (failedHooks.has(hook)) return;
  failedHooks.add(hook);
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.emitWarning(`the onAudit hook failed (${reason.slice(0, 200)}); answers are unaffected, and further failures of this hook are not reported`, {
    code: 'KEYGATE_AUDIT_HOOK_FAILED',
  });
}
