// The @keygate/kiiex README examples are examples/readme/kiiex-{express,koa}-usage.ts, shown verbatim and run here.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import test from 'ava';
import { signKiiex } from '@keygate/kiiex';
import { send } from './helpers/http.js';
import { listen } from './helpers/servers.js';

const apiKey = 'readme-kiiex-api-key';
const secret = 'readme-kiiex-secret';
process.env['KIIEX_API_KEY'] = apiKey;
process.env['KIIEX_SECRET'] = secret;
process.env['KEYGATE_SESSION_KEY'] = 'readme-session-key-2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c';
const readme = readFileSync(new URL('../packages/kiiex/README.md', import.meta.url), 'utf8');

for (const [name, file] of [['Express', 'kiiex-express-usage.ts'], ['Koa', 'kiiex-koa-usage.ts']] as const) {
  test(`README example: Kiiex on ${name}`, async (t) => {
    const source = readFileSync(new URL(`../examples/readme/${file}`, import.meta.url), 'utf8');
    t.true(readme.includes(source.trim()), `packages/kiiex/README.md shows examples/readme/${file} verbatim`);
    const { app } = await import(`../examples/readme/${file}`);
    const server = await listen(createServer(typeof app.callback === 'function' ? app.callback() : app));
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
