// The Fastify, Fetch API and Hono adapters from their packed tarballs, in TypeScript: type-checked with the same two
// configurations as index.ts, then compiled and run. Each sends a correctly and a badly signed request through its
// adapter (Fastify on a real port, the Fetch handler and Hono in-process) and the consumer test reads the report.
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { Hono } from 'hono';
import type { Credential, SecretStore } from '@keygate/core';
import { keygate as fastifyKeygate, type KeygateRequestState } from '@keygate/fastify';
import { keygate as fetchKeygate, type KeygateResult } from '@keygate/fetch';
import { keygate as honoKeygate, type KeygateEnv } from '@keygate/fetch/hono';
import { inqud, signInqud } from '@keygate/inqud';

const secrets: SecretStore<Credential> = new Map([['TKN-1', { secrets: ['s'] }]]);
const body = JSON.stringify({ amount: 50 });
const headers = (secret: string): Record<string, string> => ({ ...signInqud({ tokenId: 'TKN-1', secret, body }), 'content-type': 'application/json' });
const post = (url: string, secret: string): Request => new Request(url, { method: 'POST', body, headers: headers(secret) });

async function fetchHandler(secret: string): Promise<number> {
  const verify = fetchKeygate(inqud({ secrets }));
  const result: KeygateResult<unknown> = await verify(post('http://localhost/inqud/pay', secret));
  return result.ok ? 200 : result.response.status;
}

async function hono(secret: string): Promise<number> {
  const app = new Hono<KeygateEnv>();
  app.use('/inqud/*', honoKeygate(inqud({ secrets })));
  app.post('/inqud/pay', (c) => c.json({ token: c.var.keygate.principal }));
  return (await app.request(post('http://localhost/inqud/pay', secret))).status;
}

async function fastify(secret: string): Promise<number> {
  const app = Fastify();
  await app.register(async (scope) => {
    await scope.register(fastifyKeygate, { scheme: inqud({ secrets }) });
    scope.post('/pay', async (request) => {
      const state: KeygateRequestState | undefined = request.keygate;
      return { token: state?.principal };
    });
  }, { prefix: '/inqud' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const { port } = app.server.address() as AddressInfo;
    return (await fetch(post(`http://127.0.0.1:${port}/inqud/pay`, secret))).status;
  } finally {
    await app.close();
  }
}

const report: Record<string, { signed: number; badlySigned: number }> = {};
for (const [name, run] of Object.entries({ fetch: fetchHandler, hono, fastify })) {
  report[name] = { signed: await run('s'), badlySigned: await run('not-s') };
}
console.log(JSON.stringify(report));
