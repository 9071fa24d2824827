// Bare Koa 3 plus the minimal Inqud HMAC check on the raw bytes: a calibration row, not a peer.
import { createServer } from 'node:http';
import Koa from 'koa';
import getRawBody from 'raw-body';
import { bareEcho, serve } from './listen.js';
import { minimalInqudCheck } from './minimal-hmac.js';

const app = new Koa();
app.silent = true;
app.use(async (ctx) => {
  const length = ctx.get('content-length');
  const raw = await getRawBody(ctx.req, { limit: '1mb', length: length === '' ? null : length });
  if (!minimalInqudCheck(ctx.req.headers, raw)) {
    ctx.status = 401;
    return;
  }
  const text = raw.toString('utf8');
  const body = raw.length === 0 ? null : ctx.is('json') ? (JSON.parse(text) as unknown) : text;
  ctx.body = bareEcho(ctx.method, ctx.originalUrl, body);
});
serve('minimal-koa', createServer(app.callback()));
