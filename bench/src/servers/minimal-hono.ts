// Bare Hono 4 on @hono/node-server plus the minimal Inqud HMAC check on the raw bytes: a calibration row, not a peer.
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { bareEcho, serve } from './listen.js';
import { minimalInqudCheck } from './minimal-hmac.js';

const app = new Hono();
app.all('*', async (c) => {
  const raw = new Uint8Array(await c.req.arrayBuffer());
  const headers = { 'x-token-api-id': c.req.header('x-token-api-id'), 'x-hmac-sha256-signature': c.req.header('x-hmac-sha256-signature'), 'x-salt': c.req.header('x-salt') };
  if (!minimalInqudCheck(headers, raw)) return c.body(null, 401);
  const json = c.req.header('content-type')?.startsWith('application/json') === true;
  const text = Buffer.from(raw).toString('utf8');
  const body: unknown = raw.length === 0 ? null : json ? JSON.parse(text) : text;
  return c.json(bareEcho(c.req.method, c.req.url.slice(c.req.url.indexOf('/', 8)), body));
});
serve('minimal-hono', createAdaptorServer({ fetch: app.fetch }) as Server);
