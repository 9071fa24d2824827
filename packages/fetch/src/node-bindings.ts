import type { IncomingMessage, ServerResponse } from 'node:http';

/** Node's own request and response, as `@hono/node-server` hands them to Hono in `c.env`. */
export interface NodeBindings {
  readonly incoming: IncomingMessage & { rawBody?: unknown };
  readonly outgoing: ServerResponse;
}

/**
 * The Node HTTP/1 request and response behind a Hono context, when Hono runs on `@hono/node-server`; undefined on
 * any other runtime (and for HTTP/2). Recognised by shape, so this module imports nothing from Node at run time.
 *
 * @example
 * const node = nodeBindings(c.env);   // { incoming, outgoing } on Node, undefined on Bun, Deno or Workers
 */
export function nodeBindings(env: unknown): NodeBindings | undefined {
  const candidate = env as Partial<NodeBindings> | null | undefined;
  const incoming = candidate?.incoming;
  const outgoing = candidate?.outgoing;
  if (incoming?.httpVersionMajor !== 1 || !Array.isArray(incoming.rawHeaders)) return undefined;
  if (typeof outgoing?.setHeader !== 'function' || typeof outgoing.once !== 'function') return undefined;
  return candidate as NodeBindings;
}
