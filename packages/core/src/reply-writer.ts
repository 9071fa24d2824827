import type { ServerResponse } from 'node:http';
import type { HttpReply } from './scheme.js';

/**
 * Writes a reply to a Node response as exact bytes. A 413 also closes the connection, so a client that keeps
 * sending an oversized body is not read to the end.
 */
export function writeReply(res: ServerResponse, reply: HttpReply): void {
  const body = reply.body ?? '';
  res.statusCode = reply.status;
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  res.setHeader('content-length', Buffer.byteLength(body));
  if (reply.status === 413) res.setHeader('connection', 'close');
  res.end(body);
}
