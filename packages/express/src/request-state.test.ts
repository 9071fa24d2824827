import { createServer, IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import express, { type RequestHandler } from 'express';
import { jsonErrorReply, KeygateError, type Scheme } from '@keygate/core';
import { keygate } from './index.js';
import { setKeygateFields } from './request-state.js';

/** Accepts a request whose body contains "ok"; the principal is the body text. */
const echoScheme: Scheme<string> = {
  name: 'echo',
  readsBody: true,
  async verify(req) {
    const text = Buffer.from(await req.body()).toString('utf8');
    if (!text.includes('ok')) throw new KeygateError('bad_signature', 'not ok');
    return { principal: text };
  },
  reject: jsonErrorReply,
};

const seen: RequestHandler = (req, res) => {
  res.json({ rawBody: req.rawBody?.toString('utf8') ?? null, keygate: req.keygate ?? null, body: req.body ?? null });
};

async function listen(server: Server): Promise<{ url: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { url: `http://127.0.0.1:${port}`, close };
}

async function post(url: string, body: string, type = 'text/plain'): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': type } });
  return response.json();
}

test('every request of an app sees its own rawBody and keygate, and none leaks into the next', async (t) => {
  const app = express();
  app.use(keygate(echoScheme), seen);
  const server = await listen(createServer(app));
  for (let i = 0; i < 4; i++) {
    t.deepEqual(await post(server.url, `ok ${i}`), { rawBody: `ok ${i}`, keygate: { scheme: 'echo', principal: `ok ${i}` }, body: null });
  }
  const refused = await fetch(server.url, { method: 'POST', body: 'no' });
  t.is(refused.status, 401);
  await server.close();
});

test('a verify hook that assigns req.rawBody keeps working on every request, and keygate reuses those bytes', async (t) => {
  const app = express();
  app.use(express.json({ strict: false, verify: (req, _res, buf) => void ((req as express.Request).rawBody = buf) }));
  app.use(keygate(echoScheme), seen);
  const server = await listen(createServer(app));
  for (let i = 0; i < 4; i++) {
    const body = JSON.stringify(`ok ${i}`);
    t.deepEqual(await post(server.url, body, 'application/json'), {
      rawBody: body, keygate: { scheme: 'echo', principal: body }, body: `ok ${i}`,
    });
  }
  await server.close();
});

test('the fields survive leaving a sub-app, which restores the parent app\'s request prototype', async (t) => {
  const parent = express();
  const sub = express();
  sub.use(keygate(echoScheme));
  parent.use('/sub', sub);
  parent.use(seen);
  const server = await listen(createServer(parent));
  for (let i = 0; i < 2; i++) {
    t.deepEqual(await post(`${server.url}/sub`, `ok ${i}`), {
      rawBody: `ok ${i}`, keygate: { scheme: 'echo', principal: `ok ${i}` }, body: null,
    });
  }
  await server.close();
});

test('on a plain Node request (no Express prototype) the fields are ordinary properties', async (t) => {
  const middleware = keygate(echoScheme);
  const server = await listen(
    createServer((req, res) => {
      void middleware(req as express.Request, res as express.Response, () => {
        const r = req as express.Request;
        res.end(JSON.stringify({ own: Object.hasOwn(r, 'rawBody') && Object.hasOwn(r, 'keygate'), principal: r.keygate?.principal }));
      });
    }),
  );
  t.deepEqual(await post(server.url, 'ok plain'), { own: true, principal: 'ok plain' });
  await server.close();
});

test('a prototype that already declares rawBody is left alone: plain assignment is used', (t) => {
  const base = Object.create(IncomingMessage.prototype) as object;
  Object.defineProperty(base, 'rawBody', { value: 'theirs', writable: true, configurable: true });
  const req = Object.create(Object.create(base) as object) as express.Request;
  setKeygateFields(req, { rawBody: Buffer.from('ours'), keygate: { scheme: 'echo', principal: 'p' } });
  t.is(String(req.rawBody), 'ours');
  t.deepEqual(req.keygate, { scheme: 'echo', principal: 'p' });
  t.false(Object.prototype.hasOwnProperty.call(base, 'keygate'));
  t.is((Object.create(base) as { rawBody: unknown }).rawBody, 'theirs');
});
