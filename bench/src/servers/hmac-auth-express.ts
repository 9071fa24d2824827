// The peer: hmac-auth-express on Express 5 (it declares express ^4 as its peer but is a plain (req, res, next)
// middleware: request.get, request.originalUrl, request.body are the same on Express 5). It signs the JSON of the
// parsed body, so it sits behind express.json(), as its README says.
import { createServer } from 'node:http';
import express, { type ErrorRequestHandler } from 'express';
import { AuthError, HMAC } from 'hmac-auth-express';
import { bareEcho, serve } from './listen.js';

const secret = process.env['HMAC_AUTH_SECRET'];
if (secret === undefined || secret === '') throw new Error('HMAC_AUTH_SECRET is required');

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '1mb' }));
app.use('/inqud', HMAC(secret), (req, res) => {
  res.json({ ...bareEcho(req.method, req.originalUrl, req.body ?? null), scheme: 'hmac-auth-express', principal: 'client' });
});
const onError: ErrorRequestHandler = (error, _req, res, _next) => {
  res.status(error instanceof AuthError ? 401 : 500).json({ error: error instanceof AuthError ? 'unauthorized' : 'internal' });
};
app.use(onError);
serve('hmac-auth-express', createServer(app));
