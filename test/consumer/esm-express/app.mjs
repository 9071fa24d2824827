// An ESM Express app using the installed keygate packages with `import`.
import express from 'express';
import { memoryNonceStore } from '@keygate/core';
import { keygate, keygateEndpoint } from '@keygate/express';
import { inqud, signInqud } from '@keygate/inqud';
import { kiiex, signKiiex } from '@keygate/kiiex';
import { lenme, signLenme } from '@keygate/lenme';
import { valiant, signValiant } from '@keygate/valiant';
import shared from './probe.cjs';

const secrets = shared.secretStores();
const { authenticateUser, session } = kiiex({ secrets: secrets.kiiex, sessionKey: shared.credentials.sessionKey });

const app = express();
app.post('/kiiex/AuthenticateUser', keygateEndpoint(authenticateUser));
app.use('/kiiex', keygate(session));
app.use('/inqud', keygate(inqud({ secrets: secrets.inqud, nonces: memoryNonceStore() })));
app.use('/valiant', keygate(valiant({ secrets: secrets.valiant })));
app.use('/lenme', keygate(lenme({ secrets: secrets.lenme })));
app.use((req, res) => res.json({ scheme: req.keygate.scheme, principal: req.keygate.principal, body: req.body ?? null }));

const server = app.listen(0, '127.0.0.1', async () => {
  const report = await shared.probe(`http://127.0.0.1:${server.address().port}`, { inqud: signInqud, valiant: signValiant, lenme: signLenme, kiiex: signKiiex });
  console.log(JSON.stringify(report));
  server.close();
});
