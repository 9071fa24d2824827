// Bare Koa 3: reads the body with raw-body (what keygate's adapter uses), parses JSON, answers the gateway's echo.
import { createServer } from 'node:http';
import Koa from 'koa';
import getRawBody from 'raw-body';
import { bareEcho, serve } from './listen.js';

const app = new Koa();
app.silent = true;
app.use(async (ctx) => {
  const length = ctx.get('content-length');
  const raw = await getRawBody(ctx.req, { limit: '1mb', length: length === '' ? null : length });
  const text = raw.toString('utf8');
  const body = raw.length === 0 ? null : ctx.is('json') ? (JSON.parse(text) as unknown) : text;
  ctx.body = bareEcho(ctx.method, ctx.originalUrl, body);
});
serve('bare-koa', createServer(app.callback()));
