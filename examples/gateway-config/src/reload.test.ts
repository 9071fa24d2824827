import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { fakeSignedRequest, jsonErrorReply, type Scheme } from '@keygate/core';
import type { Credentials } from './credentials.js';
import { credentialsReloader, reloadableRoutes } from './reload.js';
import type { GatewayRoute } from './route.js';
import { memoryLogger } from './test-logger.js';

const SECRET = 'reload-test-secret-never-logged';

function route(principal: string, gate?: Promise<void>): GatewayRoute {
  const scheme: Scheme<unknown> = {
    name: 'test',
    readsBody: false,
    keyIdHeader: 'x-key',
    async verify() {
      await gate;
      return { principal };
    },
    reject: jsonErrorReply,
  };
  return { prefix: '/t', scheme };
}

test('a request in flight finishes on the build it started with; the next one gets the new build', async (t) => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const reloadable = reloadableRoutes([route('old', gate)], { onAudit: () => {} });
  const [stable] = reloadable.routes;
  t.is(stable!.scheme.keyIdHeader, 'x-key');
  t.is(typeof stable!.options?.onAudit, 'function');
  const inFlight = stable!.scheme.verify(fakeSignedRequest({}));
  reloadable.replace([route('new')]);
  t.deepEqual(await stable!.scheme.verify(fakeSignedRequest({})), { principal: 'new' });
  release();
  t.deepEqual(await inFlight, { principal: 'old' });
});

test('a rebuild that does not match the mounted routes is refused and changes nothing', async (t) => {
  const reloadable = reloadableRoutes([route('old')]);
  t.throws(() => reloadable.replace([{ ...route('new'), prefix: '/other' }]), { message: /do not match/ });
  t.throws(() => reloadable.replace([]), { message: /do not match/ });
  t.deepEqual(await reloadable.routes[0]!.scheme.verify(fakeSignedRequest({})), { principal: 'old' });
});

function tempFile(content: string): { path: string; write(text: string): void; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'keygate-reload-'));
  const path = join(dir, 'credentials.json');
  // Written beside and renamed into place, as editors and deploy tools do: the reader never sees half a file.
  const write = (text: string): void => {
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
  };
  write(content);
  return { path, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const file = (lenme: { apiKey: string; secret: string }[]) => JSON.stringify({ lenme });

test('a file that does not parse or fails validation keeps the current set and logs one line saying why, without the secret', (t) => {
  const credentials = tempFile(file([{ apiKey: 'k1', secret: SECRET }]));
  const { logger, lines } = memoryLogger();
  const applied: Credentials[] = [];
  const reloader = credentialsReloader({ path: credentials.path, watch: false, logger, apply: (c) => void applied.push(c) });
  try {
    credentials.write(`{"lenme": [{"apiKey": "k1", "secret": "${SECRET}",]}`);
    t.false(reloader.reload('SIGHUP'));
    credentials.write(file([{ apiKey: 'k1', secret: '' }]));
    t.false(reloader.reload('SIGHUP'));
    t.is(applied.length, 0);
    const logged = lines();
    t.is(logged.length, 2, 'one line per failed reload');
    t.regex(String(logged[0]!['msg']), /^credentials reload failed, keeping the current set: KEYGATE_CREDENTIALS: .* is not valid JSON at line 1/);
    t.regex(String(logged[1]!['msg']), /lenme\[0\]\.secret must be a non-empty string/);
    t.false(JSON.stringify(logged).includes(SECRET));

    credentials.write(file([{ apiKey: 'k2', secret: SECRET }, { apiKey: 'k3', secret: 'x' }]));
    t.true(reloader.reload('SIGHUP'));
    t.deepEqual(applied.map((c) => c.lenme.map((e) => e.apiKey)), [['k2', 'k3']]);
    t.regex(String(lines()[2]!['msg']), /^credentials reloaded from .*: inqud 0, valiant 0, kiiex 0, lenme 2 keys$/);
    t.false(JSON.stringify(lines()).includes(SECRET));
  } finally {
    reloader.close();
    credentials.remove();
  }
});

test('when its set cannot be built, the reload is refused the same way', (t) => {
  const credentials = tempFile(file([{ apiKey: 'k1', secret: SECRET }]));
  const { logger, lines } = memoryLogger();
  const reloader = credentialsReloader({
    path: credentials.path,
    watch: false,
    logger,
    apply: () => {
      throw new Error('the rebuilt routes do not match the mounted ones');
    },
  });
  try {
    t.false(reloader.reload('SIGHUP'));
    t.regex(String(lines()[0]!['msg']), /keeping the current set: the rebuilt routes do not match/);
  } finally {
    reloader.close();
    credentials.remove();
  }
});

test('with watch, a changed file is applied without a signal', async (t) => {
  const credentials = tempFile(file([{ apiKey: 'k1', secret: SECRET }]));
  const { logger, lines } = memoryLogger();
  let appliedKeys!: (keys: string[]) => void;
  const applied = new Promise<string[]>((resolve) => (appliedKeys = resolve));
  const reloader = credentialsReloader({ path: credentials.path, watch: true, logger, apply: (c) => appliedKeys(c.lenme.map((e) => e.apiKey)) });
  // The watcher does not keep a process alive (a gateway's server does): hold this one open while it waits.
  const keepAlive = setInterval(() => {}, 1000);
  try {
    credentials.write(file([{ apiKey: 'k9', secret: SECRET }]));
    t.deepEqual(await applied, ['k9']);
    t.is(lines()[0]!['trigger'], 'file change');
  } finally {
    clearInterval(keepAlive);
    reloader.close();
    credentials.remove();
  }
});
