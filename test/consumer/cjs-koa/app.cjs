// A CommonJS Koa app using the installed keygate packages with `require` (require(esm), Node >= 20.19), with the
// Inqud salts and Kiiex revocations in a real Redis through @keygate/redis.
'use strict';
const Koa = require('koa');
const { createClient } = require('redis');
const { keygate, keygateEndpoint } = require('@keygate/koa');
const { inqud, signInqud } = require('@keygate/inqud');
const { kiiex, signKiiex } = require('@keygate/kiiex');
const { lenme, signLenme } = require('@keygate/lenme');
const { valiant, signValiant } = require('@keygate/valiant');
const { redisNonceStore, redisRevocationStore } = require('@keygate/redis');
const shared = require('./probe.cjs');

async function main() {
  const client = createClient({ url: process.env.REDIS_URL });
  client.on('error', (error) => console.error('redis:', error.message));
  await client.connect();
  const secrets = shared.secretStores();
  const { authenticateUser, session } = kiiex({
    secrets: secrets.kiiex,
    sessionKey: shared.credentials.sessionKey,
    nonces: redisNonceStore(client),
    revocations: redisRevocationStore(client),
  });
  const endpoints = new Map([['/kiiex/AuthenticateUser', keygateEndpoint(authenticateUser)]]);
  const guards = [
    ['/kiiex/', keygate(session)],
    ['/inqud/', keygate(inqud({ secrets: secrets.inqud, nonces: redisNonceStore(client) }))],
    ['/valiant/', keygate(valiant({ secrets: secrets.valiant }))],
    ['/lenme/', keygate(lenme({ secrets: secrets.lenme }))],
  ];

  const app = new Koa();
  app.use((ctx, next) => {
    const endpoint = ctx.method === 'POST' ? endpoints.get(ctx.path) : undefined;
    if (endpoint) return endpoint(ctx, next);
    const guard = guards.find(([prefix]) => ctx.path.startsWith(prefix));
    return guard ? guard[1](ctx, next) : next();
  });
  app.use((ctx) => {
    ctx.body = { scheme: ctx.state.keygate.scheme, principal: ctx.state.keygate.principal, body: ctx.request.body ?? null };
  });

  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const report = await shared.probe(`http://127.0.0.1:${server.address().port}`, { inqud: signInqud, valiant: signValiant, lenme: signLenme, kiiex: signKiiex });
  console.log(JSON.stringify(report));
  server.close();
  await client.quit();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
