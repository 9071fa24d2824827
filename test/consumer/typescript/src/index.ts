// An Express app written in TypeScript against every library package, as an application would use them. The consumer
// test type-checks it with `module: nodenext` and with `moduleResolution: bundler`, strict, with the packages'
// declarations checked too, then compiles and runs it: it sends a correctly and a badly signed request to itself and
// prints what it got. The @ts-expect-error lines prove the types are real: were a package's types missing (any), each
// would be an error.
import type { AddressInfo } from 'node:net';
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

/** Never called: mistakes the types must catch. */
export function typeMistakes(): unknown[] {
  // @ts-expect-error: not an error code
  const typo: KeygateErrorCode = 'bad_signatur';
  // @ts-expect-error: inqud has no such mode
  const sha1 = inqud({ secrets: inqudSecrets, modes: ['hmac-sha1'] });
  // @ts-expect-error: a Valiant credential needs its key
  const keyless: SecretStore<ValiantCredential> = new Map([['u', { secrets: ['s'] }]]);
  return [typo, sha1, keyless];
}

export { app, fields, headers, koa };

const server = app.listen(0, '127.0.0.1', async () => {
  const { port } = server.address() as AddressInfo;
  const body = JSON.stringify({ amount: 50 });
  const send = async (secret: string): Promise<{ status: number; body: unknown }> => {
    const signed = { ...signInqud({ tokenId: 'TKN-1', secret, body }), 'content-type': 'application/json' };
    const reply = await fetch(`http://127.0.0.1:${port}/inqud/pay`, { method: 'POST', body, headers: signed });
    return { status: reply.status, body: await reply.json() };
  };
  console.log(JSON.stringify({ signed: await send('s'), badlySigned: await send('not-s') }));
  server.close();
});
