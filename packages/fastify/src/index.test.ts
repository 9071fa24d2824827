import test from 'ava';
import Fastify, { type FastifyInstance } from 'fastify';
import { fakeScheme, jsonErrorReply } from '@keygate/core';
import { keygate, keygateEndpoint } from './index.js';

const headerScheme = (key: string) => fakeScheme({ key, needle: '' });
const bodyScheme = fakeScheme();

async function listen(app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' });
}

const seen = async (request: { keygate?: unknown; body?: unknown; rawBody?: Buffer }) => ({
  keygate: request.keygate ?? null, body: request.body ?? null, raw: request.rawBody?.toString() ?? null,
});

function post(url: string, body: string, headers: Record<string, string> = {}, method = 'POST'): Promise<Response> {
  return fetch(url, { method, body, headers: { 'content-type': 'application/json', ...headers } });
}

test('a prefixed scope is verified; routes outside it keep Fastify\'s own parsing and carry no keygate fields', async (t) => {
  const app = Fastify();
  t.teardown(() => app.close());
  app.post('/open', seen);
  app.register(async (scope) => {
    await scope.register(keygate, { scheme: bodyScheme });
    scope.post('/pay', seen);
  }, { prefix: '/inqud' });
  const url = await listen(app);
  t.deepEqual(await (await post(`${url}/inqud/pay`, '{"ok":  1}')).json(), {
    keygate: { scheme: 'fake', principal: '{"ok":  1}' }, body: { ok: 1 }, raw: '{"ok":  1}',
  });
  t.is((await post(`${url}/inqud/pay`, '{"no": 1}')).status, 401);
  t.deepEqual(await (await post(`${url}/open`, '{"no": 1}')).json(), { keygate: null, body: { no: 1 }, raw: null });
});

test('a scope holding one route protects that route only', async (t) => {
  const app = Fastify();
  t.teardown(() => app.close());
  app.register(async (scope) => {
    await scope.register(keygate, { scheme: headerScheme('a') });
    scope.get('/secret', seen);
  });
  app.get('/public', seen);
  const url = await listen(app);
  t.is((await fetch(`${url}/secret`)).status, 401);
  t.like(await (await fetch(`${url}/secret`, { headers: { 'x-key': 'a' } })).json(), { keygate: { principal: 'a' } });
  t.is((await fetch(`${url}/public`)).status, 200);
});

test('in its scope JSON is parsed by core\'s rules: too deep or not UTF-8 is a 400 from the scheme\'s reply', async (t) => {
  const app = Fastify();
  t.teardown(() => app.close());
  app.register(async (scope) => {
    await scope.register(keygate, { scheme: bodyScheme });
    scope.post('/', seen);
  });
  const url = await listen(app);
  const deep = await post(url, `[${'['.repeat(600)}"ok"${']'.repeat(600)}]`);
  t.is(deep.status, 400);
  t.like(await deep.json(), { code: 'malformed_body' });
  const latin1 = await fetch(url, { method: 'POST', body: new Uint8Array([0x22, 0x6f, 0x6b, 0xe9, 0x22]), headers: { 'content-type': 'application/json' } });
  t.like(await latin1.json(), { code: 'malformed_body', message: 'request body is not valid UTF-8 JSON' });
});

test('keygate\'s limit governs its scope; Fastify\'s bodyLimit still governs the routes Fastify parses', async (t) => {
  const app = Fastify({ bodyLimit: 100 });
  t.teardown(() => app.close());
  app.post('/open', seen);
  app.register(async (scope) => {
    await scope.register(keygate, { scheme: bodyScheme });
    scope.post('/default', seen);
  });
  app.register(async (scope) => {
    await scope.register(keygate, { scheme: bodyScheme, limit: '128b' });
    scope.post('/small', seen);
  });
  const url = await listen(app);
  const kib = JSON.stringify({ ok: 'x'.repeat(1000) });
  t.is((await post(`${url}/open`, kib)).status, 413);
  t.is((await post(`${url}/default`, kib)).status, 200);
  const small = await post(`${url}/small`, kib);
  t.is(small.status, 413);
  t.like(await small.json(), { code: 'body_too_large', message: 'request body is larger than the 128-byte limit' });
});

test('onError answers failures; when it sends nothing the vendor reply goes out and the route never runs', async (t) => {
  const app = Fastify();
  t.teardown(() => app.close());
  let routeRan = false;
  const route = async () => ((routeRan = true), 'route ran');
  app.register(async (scope) => {
    await scope.register(keygate, { scheme: headerScheme('a'), onError: (error, _request, reply) => void reply.code(418).send({ custom: error.code }) });
    scope.get('/custom', route);
  });
  app.register(async (scope) => {
    await scope.register(keygate, { scheme: headerScheme('a'), onError: () => {} });
    scope.get('/silent', route);
  });
  const url = await listen(app);
  const custom = await fetch(`${url}/custom`);
  t.is(custom.status, 418);
  t.deepEqual(await custom.json(), { custom: 'bad_signature' });
  const silent = await fetch(`${url}/silent`);
  t.is(silent.status, 401);
  t.like(await silent.json(), { code: 'bad_signature' });
  t.false(routeRan);
});

test('registered in nested scopes, both schemes verify the same bytes; sibling scopes keep their own scheme', async (t) => {
  const app = Fastify();
  t.teardown(() => app.close());
  app.register(async (outer) => {
    await outer.register(keygate, { scheme: headerScheme('a') });
    outer.post('/a', seen);
    outer.register(async (inner) => {
      await inner.register(keygate, { scheme: bodyScheme });
      inner.post('/a/b', seen);
    });
  });
  app.register(async (other) => {
    await other.register(keygate, { scheme: headerScheme('z') });
    other.post('/z', seen);
  });
  const url = await listen(app);
  t.like(await (await post(`${url}/a/b`, '"ok"', { 'x-key': 'a' })).json(), { keygate: { principal: '"ok"' }, body: 'ok' });
  t.is((await post(`${url}/a/b`, '"ok"', { 'x-key': 'z' })).status, 401);
  t.is((await post(`${url}/a/b`, '"no"', { 'x-key': 'a' })).status, 401);
  t.like(await (await post(`${url}/z`, '"no"', { 'x-key': 'z' })).json(), { keygate: { principal: 'z' } });
});

test('a GET body, which Fastify never parses, is still read, verified and handed over', async (t) => {
  const app = Fastify();
  t.teardown(() => app.close());
  app.register(async (scope) => {
    await scope.register(keygate, { scheme: bodyScheme });
    scope.get('/', seen);
  });
  const url = await listen(app);
  const { hostname, port } = new URL(url);
  const { request } = await import('node:http');
  const reply = await new Promise<string>((resolve, reject) => {
    const req = request({ hostname, port, method: 'GET', path: '/', headers: { 'content-type': 'application/json', 'content-length': '4' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end('"ok"');
  });
  t.deepEqual(JSON.parse(reply), { keygate: { scheme: 'fake', principal: '"ok"' }, body: 'ok', raw: '"ok"' });
});

test('keygateEndpoint answers from its own route with the endpoint\'s reply, beside routes Fastify parses', async (t) => {
  const app = Fastify();
  t.teardown(() => app.close());
  app.post('/login', keygateEndpoint({ name: 'login', handle: async (req) => ({ status: 200, body: `${(await req.body()).byteLength}` }), reject: jsonErrorReply }, { limit: 8 }));
  app.post('/open', seen);
  const url = await listen(app);
  t.is(await (await post(`${url}/login`, '{"a":1}')).text(), '7');
  t.is((await post(`${url}/login`, '{"a":10}!')).status, 413);
  t.like(await (await post(`${url}/open`, '{"a":1}')).json(), { body: { a: 1 } });
});
