import { once } from 'node:events';
import { connect, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAdaptorServer } from '@hono/node-server';
import test from 'ava';
import { Hono } from 'hono';
import { cloneRawRequest } from 'hono/request';
import { validator } from 'hono/validator';
import { fakeScheme, jsonErrorReply } from '@keygate/core';
import { keygate, keygateEndpoint, type KeygateEnv } from './hono.js';
import { nodeBindings } from './node-bindings.js';

const scheme = fakeScheme();

const post = (body: string | Uint8Array, type = 'application/json') =>
  ({ method: 'POST', headers: { 'content-type': type }, body }) as RequestInit;

test('c.var.keygate holds principal, bytes and core-parsed JSON; c.req.json/text and cloneRawRequest read the verified bytes', async (t) => {
  const app = new Hono<KeygateEnv>();
  app.use(keygate(scheme));
  app.post('/', async (c) => {
    const { scheme: name, principal, rawBody, body } = c.var.keygate;
    const clone = await (await cloneRawRequest(c.req)).text();
    return c.json({ name, principal, raw: Buffer.from(rawBody).toString(), body, json: await c.req.json(), text: await c.req.text(), clone });
  });
  const body = '{"ok":  true}';
  const response = await app.request('/', post(body));
  t.is(response.status, 200);
  t.deepEqual(await response.json(), { name: 'fake', principal: body, raw: body, body: { ok: true }, json: { ok: true }, text: body, clone: body });
});

test('bytes that are not UTF-8 reach c.req.arrayBuffer() exactly', async (t) => {
  const app = new Hono<KeygateEnv>();
  app.use(keygate(scheme));
  app.post('/', async (c) => c.body(new Uint8Array(await c.req.arrayBuffer())));
  const bytes = new Uint8Array([0x6f, 0x6b, 0xff, 0xfe, 0x00]);
  const response = await app.request('/', post(bytes, 'application/octet-stream'));
  t.deepEqual(new Uint8Array(await response.arrayBuffer()), bytes);
});

test('a Hono validator downstream validates the verified body', async (t) => {
  const app = new Hono<KeygateEnv>();
  app.use(keygate(scheme));
  app.post(
    '/',
    validator('json', (value: { ok?: unknown }, c) => (value.ok === true ? value : c.text('invalid', 422))),
    (c) => c.json(c.req.valid('json')),
  );
  t.deepEqual(await (await app.request('/', post('{"ok": true}'))).json(), { ok: true });
  t.is((await app.request('/', post('{"ok": 1, "x": "ok"}'))).status, 422);
});

test('bytes kept by c.req.arrayBuffer() before keygate are verified; a body read as text before it is body_consumed', async (t) => {
  const app = new Hono<KeygateEnv>();
  app.use('/kept', async (c, next) => {
    await c.req.arrayBuffer();
    await next();
  });
  app.use('/text', async (c, next) => {
    await c.req.text();
    await next();
  });
  app.use(keygate(scheme));
  app.post('*', (c) => c.json(c.var.keygate.body));
  t.deepEqual(await (await app.request('/kept', post('"ok"'))).json(), 'ok');
  const consumed = await app.request('/text', post('"ok"'));
  t.is(consumed.status, 500);
  t.like(await consumed.json(), { code: 'body_consumed' });
});

test('failures answer the vendor reply and never reach the route; onError answers them instead', async (t) => {
  const app = new Hono<KeygateEnv>();
  app.use('/custom/*', keygate(scheme, { onError: (error, c) => c.json({ custom: error.code }, 418) }));
  app.use('/vendor/*', keygate(scheme));
  app.post('*', (c) => c.text('route ran'));
  const vendor = await app.request('/vendor/x', post('"no"'));
  t.is(vendor.status, 401);
  t.deepEqual(await vendor.json(), { code: 'bad_signature', message: 'the body does not contain "ok"' });
  const custom = await app.request('/custom/x', post('"no"'));
  t.is(custom.status, 418);
  t.deepEqual(await custom.json(), { custom: 'bad_signature' });
  t.is(await (await app.request('/vendor/x', post('"ok"'))).text(), 'route ran');
});

test('keygateEndpoint answers with the endpoint\'s own reply', async (t) => {
  const app = new Hono();
  app.post('/login', keygateEndpoint({ name: 'login', handle: async (req) => ({ status: 200, body: `${(await req.body()).byteLength}` }), reject: jsonErrorReply }, { limit: 3 }));
  t.is(await (await app.request('/login', post('abc'))).text(), '3');
  t.is((await app.request('/login', post('abcd'))).status, 413);
});

test('on @hono/node-server the middleware reads Node\'s own request, and a c.req.raw made later carries the verified bytes', async (t) => {
  const app = new Hono<KeygateEnv>();
  app.use(keygate(scheme));
  app.post('/', async (c) => c.json({ onNode: nodeBindings(c.env) !== undefined, raw: await c.req.raw.text(), principal: c.var.keygate.principal }));
  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => void server.close());
  const { port } = server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}/`, post('"ok"'));
  t.deepEqual(await response.json(), { onNode: true, raw: '"ok"', principal: '"ok"' });
});

test('on @hono/node-server with autoCleanupIncoming off, a client still uploading long after its 413 reads it and is never cut off', async (t) => {
  const app = new Hono<KeygateEnv>();
  app.use(keygate(scheme, { limit: 1024, lingerMs: 5000 }));
  app.post('/', (c) => c.text('not reached'));
  const server = createAdaptorServer({ fetch: app.fetch, autoCleanupIncoming: false });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => void server.close());
  const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  await once(socket, 'connect');
  let answer = '';
  let failed: Error | undefined;
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
  socket.on('error', (error) => (failed = error));
  const closed = once(socket, 'close');
  const piece = Buffer.alloc(32 * 1024, 0x61);
  socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${20 * piece.length}\r\n\r\n`);
  // About 1.5 s of uploading, most of it after the 413: @hono/node-server's own clean-up would close at 500 ms.
  for (let i = 0; i < 20 && failed === undefined; i++) {
    socket.write(piece);
    await sleep(75);
  }
  socket.end();
  await closed;
  t.is(failed, undefined);
  t.regex(answer, /^HTTP\/1\.1 413 /);
});

test('nodeBindings recognises Node\'s HTTP/1 objects only', (t) => {
  t.is(nodeBindings(undefined), undefined);
  t.is(nodeBindings({}), undefined);
  t.is(nodeBindings({ incoming: { httpVersionMajor: 2, rawHeaders: [] }, outgoing: { setHeader() {}, once() {} } }), undefined);
  t.truthy(nodeBindings({ incoming: { httpVersionMajor: 1, rawHeaders: [] }, outgoing: { setHeader() {}, once() {} } }));
});
