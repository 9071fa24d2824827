// The README's usage examples are these files, compiled by the typecheck and run here; each new package's README shows
// its own examples verbatim too.
import { readFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { Socket } from 'node:net';
import test from 'ava';
import { signInqud } from '@keygate/inqud';
import { send } from './helpers/http.js';
import { listen, serveExample } from './helpers/servers.js';

const secret = 'readme-example-secret';
process.env['INQUD_SECRET'] = secret;
const tokenId = 'TKN-6c1296b8-6929-443b-ac06-f732e0e27be1';
const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

const EXAMPLES = [
  { name: 'Express', file: 'express-usage.ts', readmes: ['README.md'] },
  { name: 'Koa', file: 'koa-usage.ts', readmes: ['README.md'] },
  { name: 'Fastify', file: 'fastify-usage.ts', readmes: ['README.md', 'packages/fastify/README.md'] },
  { name: 'Hono', file: 'hono-usage.ts', readmes: ['README.md', 'packages/fetch/README.md'] },
  { name: 'Fetch API', file: 'fetch-usage.ts', readmes: ['README.md', 'packages/fetch/README.md'] },
] as const;

for (const { name, file, readmes } of EXAMPLES) {
  test(`README example: ${name}`, async (t) => {
    const source = read(`examples/readme/${file}`);
    for (const readme of readmes) t.true(read(readme).includes(source.trim()), `${readme} shows examples/readme/${file} verbatim`);
    const server = await serveExample(await import(`../examples/readme/${file}`));
    try {
      const body = '{"amount": 50}';
      const headers = { ...signInqud({ tokenId, secret, body }), 'content-type': 'application/json' };
      const reply = await send(`${server.url}/inqud/v1/user/payments/payout`, { method: 'POST', headers, body });
      t.is(reply.status, 200, reply.body);
      t.deepEqual(reply.json(), { token: tokenId, amount: 50 });
      t.is((await send(`${server.url}/inqud/v1/user/payments/payout`, { method: 'POST', body })).status, 401);
    } finally {
      await server.close();
    }
  });
}

test('README example: graceful shutdown finishes the request in flight, closes idle keep-alive connections, refuses new ones', async (t) => {
  t.true(read('README.md').includes(read('examples/readme/graceful-shutdown.ts').trim()), 'README.md shows examples/readme/graceful-shutdown.ts verbatim');
  const { stopGracefully } = await import('../examples/readme/graceful-shutdown.js');
  let release = (): void => {};
  const slow = new Promise<void>((resolve) => (release = resolve));
  const server = createServer((req, res) => {
    if (req.url === '/slow') void slow.then(() => res.end('done'));
    else res.end('ok');
  });
  const { url } = await listen(server);
  const agent = new Agent({ keepAlive: true });
  try {
    t.is((await send(url)).status, 200);
    const idle = await new Promise<Socket>((resolve) => {
      const req = request(url, { agent }, (res) => res.resume().on('end', () => resolve(req.socket!)));
      req.end();
    });
    const idleClosed = new Promise<void>((resolve) => idle.once('close', () => resolve()));
    const inFlight = send(`${url}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopped = stopGracefully(server);
    await idleClosed;
    await t.throwsAsync(send(url), { code: 'ECONNREFUSED' });
    release();
    const answer = await inFlight;
    t.is(answer.body, 'done');
    await stopped;
  } finally {
    agent.destroy();
  }
});
