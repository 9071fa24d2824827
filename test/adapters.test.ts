// One table of request -> response cases, run against every adapter: they must behave identically.
import test from 'ava';
import express from 'express';
import Fastify from 'fastify';
import type { Middleware } from 'koa';
import { jsonErrorReply, jsonReply, type AuditEvent, type Endpoint, type Scheme, type VerifierOptions } from '@keygate/core';
import { inqud, signInqud } from '@keygate/inqud';
import { keygate as expressKeygate } from '@keygate/express';
import { keygate as fastifyKeygate } from '@keygate/fastify';
import { keygate as honoKeygate } from '@keygate/fetch/hono';
import { keygate as koaKeygate } from '@keygate/koa';
import { send, sendRaw, type Reply } from './helpers/http.js';
import { ADAPTERS, serve, type Adapter, type Before, type ServeOptions, type TestServer } from './helpers/servers.js';

const tokenId = 'TKN-11111111-2222-3333-4444-555555555555';
const secret = 'adapter-table-secret-0123456789abcdef';
const scheme = () => inqud({ secrets: new Map([[tokenId, { secrets: [secret] }]]) });

function signed(body: string | Uint8Array = '', extra: Record<string, string> = {}): Record<string, string> {
  return { ...signInqud({ tokenId, secret, body }), ...extra };
}

function assertClean(t: { false: (v: boolean, m?: string) => void }, reply: Reply): void {
  t.false(reply.body.includes(secret), 'secret in body');
  t.false(/\bat .+:\d+:\d+/.test(reply.body), 'stack trace in body');
}

async function withServer(framework: Adapter, options: ServeOptions, run: (server: TestServer) => Promise<void>): Promise<void> {
  const server = await serve(framework, scheme(), options);
  try {
    await run(server);
    // Whatever the case did, the server keeps serving the next valid request.
    const next = await send(server.url, { headers: signed() });
    if (next.status !== 200) throw new Error(`server stopped serving: ${next.status} ${next.body}`);
  } finally {
    await server.close();
  }
}

async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const koaReader: Middleware = async (ctx, next) => {
  ctx.request.body = JSON.parse((await readAll(ctx.req)).toString() || 'null');
  await next();
};

const koaSaver: Middleware = async (ctx, next) => {
  ctx.request.rawBody = await readAll(ctx.req);
  await next();
};

/** A parser mounted before keygate that reads the body and keeps no bytes. */
const CONSUMERS: Required<Before> = {
  express: express.json(),
  koa: koaReader,
  fastify: async (request) => void (await readAll(request.raw)),
  // As express.json() does: JSON bodies only.
  hono: async (c, next) => {
    if (c.req.header('content-type') === 'application/json') await c.req.json();
    await next();
  },
};

/** A parser mounted before keygate that keeps the exact bytes where keygate looks for them. */
const SAVERS: Required<Before> = {
  express: express.json({ verify: (req, _res, buf) => void ((req as express.Request).rawBody = buf) }),
  koa: koaSaver,
  // What fastify-raw-body does with `encoding: false`.
  fastify: async (request) => void (request.rawBody = await readAll(request.raw)),
  hono: async (c, next) => {
    await c.req.arrayBuffer();
    await next();
  },
};

const CONSUMED_FIX: Record<Adapter, RegExp> = {
  express: /mount keygate before express\.json\(\)/,
  koa: /mount keygate before the body parser/,
  fastify: /register keygate before any preParsing hook that reads request\.raw/,
  hono: /mount keygate before validators/,
  fetch: /mount keygate before validators/,
};

/** The middleware each adapter mounts before keygate; the Fetch path is Hono's middleware too. */
const before = (adapter: Adapter, per: Required<Before>): Before => (adapter === 'fetch' ? { hono: per.hono } : { [adapter]: per[adapter] });

/** Mounts keygate on a framework the way an app would at start-up, resolving once it is mounted. */
const MOUNT: Record<Adapter, (scheme: Scheme<unknown>, options: VerifierOptions) => Promise<unknown>> = {
  express: async (s, o) => expressKeygate(s, o),
  koa: async (s, o) => koaKeygate(s, o),
  fastify: async (s, o) => {
    const app = Fastify();
    app.register(fastifyKeygate, { ...o, scheme: s });
    try {
      await app.ready();
    } finally {
      await app.close();
    }
  },
  hono: async (s, o) => honoKeygate(s, o),
  fetch: async (s, o) => honoKeygate(s, o),
};

for (const framework of ADAPTERS) {
  test(`${framework}: a signed JSON POST reaches the route with principal, parsed body and exact bytes`, async (t) => {
    await withServer(framework, {}, async ({ url }) => {
      const body = '{"amount": 50,  "note": "caf\u00e9"}';
      const reply = await send(`${url}/pay?x=1`, { method: 'POST', headers: signed(body, { 'content-type': 'application/json' }), body });
      t.is(reply.status, 200, reply.body);
      t.deepEqual(reply.json(), { principal: tokenId, body: { amount: 50, note: 'caf\u00e9' }, raw: Buffer.from(body).toString('base64') });
    });
  });

  test(`${framework}: a non-JSON body is handed over as bytes only`, async (t) => {
    await withServer(framework, {}, async ({ url }) => {
      const body = 'a=1&b=2';
      const reply = await send(url, { method: 'POST', headers: signed(body, { 'content-type': 'application/x-www-form-urlencoded' }), body });
      t.deepEqual(reply.json(), { principal: tokenId, body: null, raw: Buffer.from(body).toString('base64') });
    });
  });

  test(`${framework}: invalid JSON under a JSON content type is a 400, not a 500`, async (t) => {
    await withServer(framework, {}, async ({ url }) => {
      const body = '{"amount": ';
      const reply = await send(url, { method: 'POST', headers: signed(body, { 'content-type': 'application/json' }), body });
      t.is(reply.status, 400);
      t.is(reply.json()['code'], 'malformed_body');
      assertClean(t, reply);
    });
  });

  test(`${framework}: a body over the limit is a 413, with Content-Length or chunked`, async (t) => {
    await withServer(framework, {}, async ({ url }) => {
      const body = Buffer.alloc(1024 * 1024 + 1, 'a');
      for (const chunked of [false, true]) {
        const reply = await send(url, { method: 'POST', headers: signed(body), body, chunked });
        t.is(reply.status, 413, `chunked=${chunked}`);
        t.is(reply.json()['code'], 'body_too_large');
      }
    });
  });

  test(`${framework}: a body exactly at the limit is read and verified`, async (t) => {
    await withServer(framework, { limit: '64kb' }, async ({ url }) => {
      const body = Buffer.alloc(64 * 1024, 'a');
      t.is((await send(url, { method: 'POST', headers: signed(body), body })).status, 200);
      const over = Buffer.alloc(64 * 1024 + 1, 'a');
      t.is((await send(url, { method: 'POST', headers: signed(over), body: over })).status, 413);
    });
  });

  test(`${framework}: duplicated, non-ASCII and oversized auth headers are clear 401s`, async (t) => {
    await withServer(framework, {}, async ({ url }) => {
      const good = signed();
      const duplicated = await send(url, { headers: [...Object.entries(good).flat(), 'X-Salt', 'other'] });
      t.is(duplicated.status, 401);
      t.regex(duplicated.json<{ message: string }>().message, /x-salt header was sent more than once/);
      const oversized = await send(url, { headers: { ...good, 'X-Salt': 's'.repeat(4000) } });
      t.is(oversized.status, 401);
      t.is(oversized.json()['code'], 'malformed_credentials');
      const raw = await sendRaw(
        url,
        Buffer.concat([
          Buffer.from(`GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Token-API-Id: ${tokenId}\r\nX-HMAC-SHA256-Signature: ${good['X-HMAC-SHA256-Signature']}\r\nX-Salt: `),
          Buffer.from([0xe9, 0xe9]),
          Buffer.from('\r\n\r\n'),
        ]),
      );
      t.regex(raw, /^HTTP\/1\.1 4\d\d/);
      t.false(raw.includes(secret));
    });
  });

  test(`${framework}: a client that dies mid-upload does not crash the server`, async (t) => {
    await withServer(framework, {}, async ({ url }) => {
      const headers = Object.entries(signed('{"a": 1}')).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      await sendRaw(url, `POST / HTTP/1.1\r\nHost: x\r\n${headers}Content-Length: 1000\r\n\r\n{"a": 1`, 'destroy');
      t.pass();
    });
  });

  test(`${framework}: a gzip-encoded body is refused with 415 instead of verified after inflating`, async (t) => {
    await withServer(framework, {}, async ({ url }) => {
      const body = 'compressed?';
      const reply = await send(url, { method: 'POST', headers: signed(body, { 'content-encoding': 'gzip' }), body });
      t.is(reply.status, 415);
      t.is(reply.json()['code'], 'unsupported_encoding');
    });
  });

  test(`${framework}: onError replaces the vendor response`, async (t) => {
    await withServer(framework, { customError: true }, async ({ url }) => {
      const reply = await send(url);
      t.is(reply.status, 418);
      t.deepEqual(reply.json(), { custom: 'missing_credentials' });
    });
  });

  test(`${framework}: a body parser mounted first gives body_consumed naming the fix`, async (t) => {
    await withServer(framework, { before: before(framework, CONSUMERS) }, async ({ url }) => {
      const body = '{"a": 1}';
      const reply = await send(url, { method: 'POST', headers: signed(body, { 'content-type': 'application/json' }), body });
      t.is(reply.status, 500);
      const { code, message } = reply.json<{ code: string; message: string }>();
      t.is(code, 'body_consumed');
      t.regex(message, CONSUMED_FIX[framework]);
      assertClean(t, reply);
    });
  });

  test(`${framework}: raw bytes saved by an earlier parser are verified as they are`, async (t) => {
    await withServer(framework, { before: before(framework, SAVERS) }, async ({ url }) => {
      const body = '{"a":   1}';
      const reply = await send(url, { method: 'POST', headers: signed(body, { 'content-type': 'application/json' }), body });
      t.is(reply.status, 200, reply.body);
      t.deepEqual(reply.json()['body'], { a: 1 });
    });
  });

  test(`${framework}: a bad limit option or a missing scheme is a TypeError at start-up`, async (t) => {
    await t.throwsAsync(MOUNT[framework](scheme(), { limit: 'lots' }), { instanceOf: TypeError });
    await t.throwsAsync(MOUNT[framework]({} as never, {}), { instanceOf: TypeError });
  });
}

test('every adapter answers every failure with the same status, body and content type', async (t) => {
  const servers = await Promise.all(ADAPTERS.map((f) => serve(f, scheme())));
  try {
    const cases: { headers?: Record<string, string>; body?: string }[] = [
      {},
      { headers: { 'X-Token-API-Id': tokenId } },
      { headers: signed('x'), body: 'y' },
      { headers: signed('', { 'X-Token-API-Id': 'TKN-nobody' }) },
      { headers: signed('', { 'X-HMAC-SHA256-Signature': 'abc' }) },
    ];
    for (const c of cases) {
      const [first, ...others] = await Promise.all(servers.map((s) => send(s.url, { method: 'POST', ...c })));
      for (const [index, other] of others.entries()) {
        const name = ADAPTERS[index + 1];
        t.is(other.status, first!.status, name);
        t.is(other.body, first!.body, name);
        t.is(other.headers['content-type'], first!.headers['content-type'], name);
      }
    }
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
});

test('every adapter passes onAudit through: the same events for the same requests, and a failing hook changes no reply', async (t) => {
  const endpoint: Endpoint = {
    name: 'audit-endpoint',
    keyIdHeader: 'x-token-api-id',
    handle: async () => jsonReply(200, { done: true }),
    reject: jsonErrorReply,
  };
  const requests = (url: string) => [
    send(`${url}/pay?secret=in-query`, { method: 'POST', headers: signed('{}', { 'content-type': 'application/json', 'x-request-id': 'r-1' }), body: '{}' }),
    send(`${url}/pay`, { method: 'POST', headers: signed('x'), body: 'y' }),
    send(`${url}/endpoint`, { method: 'POST', headers: { 'X-Token-API-Id': tokenId } }),
  ];
  const seen: Record<string, unknown[]> = {};
  const replies: Record<string, unknown[]> = {};
  for (const framework of ADAPTERS) {
    const events: AuditEvent[] = [];
    const audited = await serve(framework, scheme(), { endpoint, onAudit: (e) => void events.push(e) });
    const throwing = await serve(framework, scheme(), { endpoint, onAudit: () => { throw new Error('hook down'); } });
    const plain = await serve(framework, scheme(), { endpoint });
    try {
      for (const server of [audited, throwing, plain]) {
        const answers = [];
        for (const request of requests(server.url)) answers.push(await request);
        (replies[framework] ??= []).push(answers.map((r) => [r.status, r.body]));
      }
      await new Promise((resolve) => setImmediate(resolve));
      seen[framework] = events.map(({ durationMs, ...rest }) => (t.true(durationMs >= 0), rest));
    } finally {
      await Promise.all([audited, throwing, plain].map((s) => s.close()));
    }
  }
  const expected = [
    { scheme: 'inqud', outcome: 'accepted', code: undefined, status: undefined, keyId: tokenId, requestId: 'r-1', method: 'POST', path: '/pay' },
    { scheme: 'inqud', outcome: 'rejected', code: 'bad_signature', status: 401, keyId: tokenId, requestId: undefined, method: 'POST', path: '/pay' },
    { scheme: 'audit-endpoint', outcome: 'accepted', code: undefined, status: 200, keyId: tokenId, requestId: undefined, method: 'POST', path: '/endpoint' },
  ];
  for (const framework of ADAPTERS) {
    t.deepEqual(seen[framework], expected, framework);
    const [audited, throwing, plain] = replies[framework]!;
    t.deepEqual(audited, plain, `${framework}: a hook changes no reply`);
    t.deepEqual(throwing, plain, `${framework}: a throwing hook changes no reply`);
  }
});
