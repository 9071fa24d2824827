// The Kiiex examples are examples/readme/kiiex-*-usage.ts, shown verbatim in the READMEs named below and run here.
import { readFileSync } from 'node:fs';
import test from 'ava';
import { signKiiex } from '@keygate/kiiex';
import { send } from './helpers/http.js';
import { serveExample } from './helpers/servers.js';

const apiKey = 'readme-kiiex-api-key';
const secret = 'readme-kiiex-secret';
process.env['KIIEX_API_KEY'] = apiKey;
process.env['KIIEX_SECRET'] = secret;
process.env['KEYGATE_SESSION_KEY'] = 'readme-session-key-2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c';
const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

for (const [name, file, readme] of [
  ['Express', 'kiiex-express-usage.ts', 'packages/kiiex/README.md'],
  ['Koa', 'kiiex-koa-usage.ts', 'packages/kiiex/README.md'],
  ['Fastify', 'kiiex-fastify-usage.ts', 'packages/fastify/README.md'],
  ['Hono', 'kiiex-hono-usage.ts', 'packages/fetch/README.md'],
] as const) {
  test(`README example: Kiiex on ${name}`, async (t) => {
    t.true(read(readme).includes(read(`examples/readme/${file}`).trim()), `${readme} shows examples/readme/${file} verbatim`);
    const server = await serveExample(await import(`../examples/readme/${file}`));
    try {
      const login = await send(`${server.url}/ap/AuthenticateUser`, { method: 'POST', headers: { ...signKiiex({ apiKey, secret, userId: 42 }) } });
      t.is(login.status, 200, login.body);
      const { sessionToken, user } = login.json<{ sessionToken: string; user: Record<string, unknown> }>();
      t.like(user, { userId: 42, userName: 'alice', email: '' });
      const info = await send(`${server.url}/ap/GetUserInfo`, { method: 'POST', headers: { aptoken: sessionToken } });
      t.deepEqual(info.json(), { apiKey });
      t.deepEqual((await send(`${server.url}/ap/LogOut`, { method: 'POST', headers: { aptoken: sessionToken } })).json(), { result: true });
      t.is((await send(`${server.url}/ap/GetUserInfo`, { method: 'POST', headers: { aptoken: sessionToken } })).status, 401);
      const wrong = await send(`${server.url}/ap/AuthenticateUser`, { method: 'POST', headers: { ...signKiiex({ apiKey, secret: 'wrong', userId: 42 }) } });
      t.like(wrong.json(), { authenticated: false, locked: false });
    } finally {
      await server.close();
    }
  });
}
