import type { Endpoint, Scheme, VerifierOptions } from '@keygate/core';
import type { GatewayConfig } from './config.js';
import type { GatewayStores } from './stores.js';

/** One vendor prefix of the gateway, described once and mounted by each framework's app. */
export interface GatewayRoute {
  readonly prefix: string;
  readonly scheme: Scheme<unknown>;
  /** Handlers that own their reply (Kiiex AuthenticateUser), mounted before the scheme. */
  readonly endpoints?: readonly { readonly method: 'POST'; readonly path: string; readonly endpoint: Endpoint }[];
  /** Authenticated paths answered 200 with an empty body instead of the echo (Valiant's authenticate check). */
  readonly emptyReplies?: readonly { readonly method: string; readonly path: string }[];
  /**
   * Passed through to every adapter call of this route, `keygate(scheme, options)` and
   * `keygateEndpoint(endpoint, options)`: the gateway's `onAudit` hook (request logs and metrics).
   */
  readonly options?: VerifierOptions;
}

export interface RouteContext {
  readonly config: GatewayConfig;
  readonly stores: GatewayStores;
  readonly log: (line: string) => void;
}

export interface EchoInput {
  readonly scheme: string;
  readonly principal: unknown;
  readonly method: string;
  readonly path: string;
  readonly rawBody: Uint8Array | undefined;
  readonly parsedBody: unknown;
}

/** The echo of DESIGN section 8: body = parsed JSON, null when empty, the raw text when not JSON. */
export function echo(input: EchoInput): Record<string, unknown> {
  const { rawBody, parsedBody } = input;
  const body =
    parsedBody !== undefined ? parsedBody : rawBody === undefined || rawBody.byteLength === 0 ? null : Buffer.from(rawBody).toString('utf8');
  return { scheme: input.scheme, principal: input.principal, method: input.method, path: input.path, body };
}

/**
 * The gateways' own answers outside the schemes and the ops routes, the same on every framework.
 *
 * @example
 * app.use(open, (_req, res) => res.status(404).json(GATEWAY_REPLIES.notFound));
 */
export const GATEWAY_REPLIES = {
  /** Any path no route serves, 404. */
  notFound: { code: 'not_found', message: 'no such route' },
  /** A bug in a route, 500: never the error itself. */
  internalError: { code: 'internal_error', message: 'internal error' },
} as const;

/** Whether the route answers this authenticated request 200 with an empty body instead of the echo. */
export function isEmptyReply(route: GatewayRoute, method: string, path: string): boolean {
  if (route.emptyReplies === undefined) return false;
  const pathname = path.split('?', 1)[0];
  return route.emptyReplies.some((r) => r.method === method && route.prefix + r.path === pathname);
}
