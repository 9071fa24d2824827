// Bare Hono 4 on @hono/node-server: c.req.json() for JSON bodies and the same echo as the gateway, no authentication.
// The 1.0 of the Hono figures.
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { bareEcho, serve } from './listen.js';

const app = new Hono();
app.all('*', async (c) => {
  const json = c.req.header('content-type')?.startsWith('application/json') === true;
  const body: unknown = json ? await c.req.json() : (await c.req.text()) || null;
  return c.json(bareEcho(c.req.method, c.req.url.slice(c.req.url.indexOf('/', 8)), body));
});
serve('bare-hono', createAdaptorServer({ fetch: app.fetch }) as Server);
