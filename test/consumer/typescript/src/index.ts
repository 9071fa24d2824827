// Type-level use of every library package, as an application written in TypeScript would use them. Checked with
// `module: nodenext` and with `moduleResolution: bundler`, strict, with the packages' declarations checked too.
// Each @ts-expect-error proves a type is real: were a package's types missing (any), the line would be an error.
import express, { type RequestHandler } from 'express';
import Koa, { type Middleware } from 'koa';
import { createClient } from 'redis';
import {
  isKeygateError, KeygateError, memoryNonceStore, type Credential, type KeygateErrorCode, type NonceStore, type SecretStore,
} from '@keygate/core';
import { keygate as expressKeygate, keygateEndpoint, type KeygateExpressOptions } from '@keygate/express';
import { keygate as koaKeygate, type KeygateState } from '@keygate/koa';
import { inqud, signInqud, type InqudOptions } from '@keygate/inqud';
import { kiiex, signKiiex, type KiiexAuthFields } from '@keygate/kiiex';
import { lenme, signLenme } from '@keygate/lenme';
import { redisNonceStore, redisRevocationStore } from '@keygate/redis';
import { signValiant, valiant, type ValiantCredential } from '@keygate/valiant';

const inqudSecrets: SecretStore<Credential> = new Map([['TKN-1', { secrets: ['s'] }]]);
const valiantSecrets: SecretStore<ValiantCredential> = async (id) => (id === 'u' ? { key: 'k', secrets: ['s'] } : undefined);
const nonces: NonceStore = memoryNonceStore();
const inqudOptions: InqudOptions = { secrets: inqudSecrets, nonces, modes: ['hmac'] };

const options: KeygateExpressOptions = {
  limit: '256kb',
  onError: (error, _req, res) => {
    const code: KeygateErrorCode = error.code;
    res.status(error.status).json({ code });
  },
};
const app = express();
const guard: RequestHandler = expressKeygate(inqud(inqudOptions), options);
app.use('/inqud', guard);
app.use('/valiant', expressKeygate(valiant({ secrets: valiantSecrets })));
app.post('/inqud/pay', (req, res) => {
  const raw: Buffer | undefined = req.rawBody;
  res.json({ principal: req.keygate?.principal, bytes: raw?.length });
});

const client = createClient();
const session = kiiex({ secrets: new Map([['AK', { secrets: ['s'], userId: 42 }]]), sessionKey: 'x'.repeat(32), revocations: redisRevocationStore(client) });
app.post('/kiiex/AuthenticateUser', keygateEndpoint(session.authenticateUser));

const koa = new Koa();
const middleware: Middleware = koaKeygate(lenme({ secrets: new Map([['K', { secrets: ['s'] }]]), nonces: redisNonceStore(client), singleUse: true }));
koa.use(middleware);
koa.use((ctx) => {
  const state = ctx.state['keygate'] as KeygateState;
  ctx.body = { scheme: state.scheme, principal: state.principal };
});

const headers: Record<string, string> = { ...signInqud({ tokenId: 'TKN-1', secret: 's', body: '{}' }), ...signValiant({ id: 'u', key: 'k', secret: 's' }), ...signLenme({ apiKey: 'K', secret: 's' }) };
const fields: KiiexAuthFields = signKiiex({ apiKey: 'AK', secret: 's', userId: 42 });

const error: unknown = new KeygateError('replayed', 'X-Salt was already used');
if (isKeygateError(error)) {
  const status: number = error.status;
  void status;
}

// @ts-expect-error: not an error code
const typo: KeygateErrorCode = 'bad_signatur';
// @ts-expect-error: inqud has no such mode
inqud({ secrets: inqudSecrets, modes: ['hmac-sha1'] });
// @ts-expect-error: a Valiant credential needs its key
const keyless: SecretStore<ValiantCredential> = new Map([['u', { secrets: ['s'] }]]);

export { app, fields, headers, keyless, koa, typo };
