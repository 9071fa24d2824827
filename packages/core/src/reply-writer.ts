import type { ServerResponse } from 'node:http';
import type { HttpReply } from './scheme.js';

/**
 * Writes a reply to a Node response as exact bytes. (What becomes of an unread body, `Connection: close` included,
 * was settled by the verifier before: see `settleUnreadBody`.)
 */
export function writeReply(res: ServerResponse, reply: HttpReply): void {
  const body = reply.body ?? '';
  res.statusCode = reply.status;
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}
