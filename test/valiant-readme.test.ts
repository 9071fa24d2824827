// The @keygate/valiant README example is examples/readme/valiant-usage.ts, shown verbatim and run here.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import test from 'ava';
import { signValiant } from '@keygate/valiant';
import { send } from './helpers/http.js';
import { listen } from './helpers/servers.js';

const id = '5f0c7b2e-1d6a-4a8e-9c3b-2f4d6e8a0b1c';
const key = 'readme-valiant-key';
const secret = 'readme-valiant-secret';
process.env['VALIANT_KEY'] = key;
process.env['VALIANT_SECRET'] = secret;

test('README example: Valiant on Express', async (t) => {
  const readme = readFileSync(new URL('../packages/valiant/README.md', import.meta.url), 'utf8');
  const source = readFileSync(new URL('../examples/readme/valiant-usage.ts', import.meta.url), 'utf8');
  t.true(readme.includes(source.trim()), 'packages/valiant/README.md shows examples/readme/valiant-usage.ts verbatim');
  const { app } = await import('../examples/readme/valiant-usage.js');
  const server = await listen(createServer(app));
  try {
    const headers = signValiant({ id, key, secret });
    const check = await send(`${server.url}/valiant/api/v1/authenticate`, { headers });
    t.is(check.status, 200);
    t.is(check.body, '');
    const body = '{"data": {"type": "loans"}}';
    const loan = await send(`${server.url}/valiant/api/v1/loans`, { method: 'POST', headers, body });
    t.deepEqual(loan.json(), { client: id, type: 'loans' });
    const bad = await send(`${server.url}/valiant/api/v1/authenticate`, { headers: signValiant({ id, key, secret: 'wrong' }) });
    t.is(bad.status, 401);
    t.is(bad.body, '');
    const json = await send(`${server.url}/valiant/api/v1/authenticate`, { headers: { ...headers, 'Content-Type': 'application/json' } });
    t.is(json.status, 400);
    t.is(json.body, '');
  } finally {
    await server.close();
  }
});
