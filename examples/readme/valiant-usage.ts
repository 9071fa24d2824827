import express from 'express';
import { keygate } from '@keygate/express';
import { valiant } from '@keygate/valiant';

const clientId = '5f0c7b2e-1d6a-4a8e-9c3b-2f4d6e8a0b1c';
const secrets = new Map([[clientId, { key: process.env['VALIANT_KEY']!, secrets: [process.env['VALIANT_SECRET']!] }]]);

export const app = express();
app.use('/valiant', keygate(valiant({ secrets })));
app.get('/valiant/api/v1/authenticate', (_req, res) => {
  res.status(200).end();
});
app.post('/valiant/api/v1/loans', (req, res) => {
  res.json({ client: req.keygate?.principal, type: req.body.data.type });
});
