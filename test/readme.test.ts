// The README's usage examples are these files, compiled by the typecheck and run here.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import test from 'ava';
import { signInqud } from '@keygate/inqud';
import { send } from './helpers/http.js';
import { listen } from './helpers/servers.js';

const secret = 'readme-example-secret';
process.env['INQUD_SECRET'] = secret;
const tokenId = 'TKN-6c1296b8-6929-443b-ac06-f732e0e27be1';
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

for (const [name, file] of [['Express', 'express-usage.ts'], ['Koa', 'koa-usage.ts']] as const) {
  test(`README example: ${name}`, async (t) => {
    const source = readFileSync(new URL(`../examples/readme/${file}`, import.meta.url), 'utf8');
    t.true(readme.includes(source.trim()), `README.md shows examples/readme/${file} verbatim`);
    const { app } = await import(`../examples/readme/${file}`);
    const server = await listen(createServer(typeof app.callback === 'function' ? app.callback() : app));
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
