// Bare Express 5 plus the minimal Inqud HMAC check, in express.json()'s `verify` hook (where Express users check
// webhook signatures): a calibration row, not a peer.
import { createServer } from 'node:http';
import express from 'express';
import { bareEcho, serve } from './listen.js';
import { minimalInqudCheck } from './minimal-hmac.js';

const unauthorized = Object.assign(new Error('bad signature'), { status: 401 });
const app = express();
app.disable('x-powered-by');
app.use(
  express.json({
    limit: '1mb',
    verify: (req, _res, raw) => {
      if (!minimalInqudCheck(req.headers, raw)) throw unauthorized;
    },
  }),
);
app.use((req, res) => {
  res.json(bareEcho(req.method, req.originalUrl, req.body ?? null));
});
app.use((error: { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  res.status(error.status ?? 500).end();
});
serve('minimal-express', createServer(app));
