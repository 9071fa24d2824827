// keygate's Express adapter on the demo Inqud route, as an application mounts it, with the body bounds taken from
// KEYGATE_LINGER_BYTES and KEYGATE_LINGER_MS (bench only): what `pnpm bench --only=linger` measures.
import { createServer } from 'node:http';
import express from 'express';
import { keygate } from '@keygate/express';
import { inqud } from '@keygate/inqud';
import { demoCredentials } from '../http/signers.js';
import { bareEcho, serve } from './listen.js';

const { tokenId, secret } = demoCredentials.inqud[0]!;
const lingerBytes = process.env['KEYGATE_LINGER_BYTES'];
const lingerMs = process.env['KEYGATE_LINGER_MS'];
const app = express();
app.disable('x-powered-by');
app.use(
  keygate(inqud({ secrets: new Map([[tokenId, { secrets: [secret] }]]) }), {
    ...(lingerBytes !== undefined ? { lingerBytes } : {}),
    ...(lingerMs !== undefined ? { lingerMs: Number(lingerMs) } : {}),
  }),
);
app.use((req, res) => {
  res.json(bareEcho(req.method, req.originalUrl, req.body ?? null));
});
serve('keygate-express', createServer(app));
