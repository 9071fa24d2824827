// The README's quick start: `pnpm demo` (and demo:koa, demo:fastify, demo:hono) builds the gateway and runs it compiled,
// without a TypeScript loader in the process. Each script is run as package.json spells it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { signInqud } from '@keygate/inqud';
import { demo } from './helpers/demo-credentials.js';
import { withBuildLock } from './helpers/build-lock.js';
import { FRAMEWORKS, ROOT, startCommand, type Framework } from './helpers/gateways.js';
import { send } from './helpers/http.js';

const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const { tokenId, secret } = demo.inqud[0]!;

async function runDemo(t: ExecutionContext, framework: Framework, name: string): Promise<void> {
  const script = scripts[name]!;
  t.regex(script, new RegExp(`node --conditions=keygate-dist examples/${framework}-gateway/dist/main\\.js$`));
  const gateway = await startCommand(`pnpm ${name}`, 'sh', ['-c', script], { PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env['PATH']}` });
  try {
    t.true(existsSync(join(ROOT, `examples/${framework}-gateway/dist/main.js`)));
    t.is((await send(`${gateway.url}/healthz`)).status, 200);
    const body = '{"amount": 5}';
    const headers = { ...signInqud({ tokenId, secret, body }), 'content-type': 'application/json' };
    const reply = await send(`${gateway.url}/inqud/v1/pay`, { method: 'POST', headers, body });
    t.is(reply.status, 200, reply.body);
    t.like(reply.json(), { scheme: 'inqud', principal: tokenId, body: { amount: 5 } });
  } finally {
    await gateway.stop();
  }
}

for (const framework of FRAMEWORKS) {
  const name = framework === 'express' ? 'demo' : `demo:${framework}`;
  // One at a time, and not while the consumer test rebuilds the packages: the builds share their output.
  test.serial(`pnpm ${name} builds the ${framework} gateway and serves signed requests from the compiled code`, (t) =>
    withBuildLock(() => runDemo(t, framework, name)),
  );
}
