// Bare Express 5: express.json() and the same echo as the gateway, no authentication. The 1.0 of the HTTP figures.
import { createServer } from 'node:http';
import express from 'express';
import { bareEcho, serve } from './listen.js';

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '1mb' }));
app.use((req, res) => {
  res.json(bareEcho(req.method, req.originalUrl, req.body ?? null));
});
serve('bare-express', createServer(app));
