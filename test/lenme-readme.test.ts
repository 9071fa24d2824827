// The @keygate/lenme README example is examples/readme/lenme-usage.ts, shown verbatim and run here.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import test from 'ava';
import { signLenme } from '@keygate/lenme';
import { send } from './helpers/http.js';
import { listen } from './helpers/servers.js';

const apiKey = 'readme-lenme-api-key';
const secret = 'readme-lenme-secret';
process.env['LENME_API_KEY'] = apiKey;
process.env['LENME_SECRET'] = secret;

test('README example: Lenme on Express', async (t) => {
  const readme = readFileSync(new URL('../packages/lenme/README.md', import.meta.url), 'utf8');
  const source = readFileSync(new URL('../examples/readme/lenme-usage.ts', import.meta.url), 'utf8');
  t.true(readme.includes(source.trim()), 'packages/lenme/README.md shows examples/readme/lenme-usage.ts verbatim');
  const { app } = await import('../examples/readme/lenme-usage.js');
  const server = await listen(createServer(app));
  try {
    const url = `${server.url}/lenme/v1/loans/fund`;
    const body = '{"loan_id": 42}';
    const funded = await send(url, { method: 'POST', headers: { ...signLenme({ apiKey, secret }), 'content-type': 'application/json' }, body });
    t.is(funded.status, 200, funded.body);
    t.deepEqual(funded.json(), { apiKey, loanId: 42 });
    const stale = await send(url, { method: 'POST', headers: signLenme({ apiKey, secret, now: () => Date.now() - 600_000 }), body });
    t.is(stale.status, 401);
    t.deepEqual(stale.json(), { detail: 'Timestamp out of range' });
  } finally {
    await server.close();
  }
});
