import test from 'ava';
import { fakeScheme, jsonErrorReply } from '@keygate/core';
import { keygate, keygateEndpoint, pathWithQuery, singleHeader, toResponse } from './index.js';

const scheme = fakeScheme({ key: 'k' });

const post = (body: RequestInit['body'], headers: RequestInit['headers'] = { 'x-key': 'k' }, url = 'http://h.test/a/b?c=1') =>
  new Request(url, { method: 'POST', headers, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);

/** An endless body that counts the chunks it was asked for. */
function endless(chunkSize: number) {
  const state = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulled++;
      controller.enqueue(new Uint8Array(chunkSize).fill(0x6f));
    },
  });
  return { stream, state };
}

test('a verified Request gives the principal, the exact bytes and JSON parsed by core', async (t) => {
  const body = '{"note": "ok", "x":  1}';
  const result = await keygate(scheme)(post(body, { 'x-key': 'k', 'content-type': 'application/json' }));
  if (!result.ok) return t.fail(result.error.message);
  t.is(result.scheme, 'fake');
  t.is(result.principal, 'k');
  t.is(Buffer.from(result.rawBody).toString(), body);
  t.deepEqual(result.body, { note: 'ok', x: 1 });
});

test('a refused Request gives the vendor reply as a Response, with the error for the log', async (t) => {
  const result = await keygate(scheme)(post('ok', { 'x-key': 'nope' }));
  if (result.ok) return t.fail('accepted');
  t.is(result.error.code, 'bad_signature');
  t.is(result.response.status, 401);
  t.is(result.response.headers.get('content-type'), 'application/json; charset=utf-8');
  t.deepEqual(await result.response.json(), { code: 'bad_signature', message: 'x-key is not k' });
});

test('a header sent twice (joined by Headers with ", ") is refused, a single value with a bare comma is not', async (t) => {
  const twice = new Headers([['X-Key', 'k'], ['x-key', 'k']]);
  const result = await keygate(scheme)(post('ok', twice));
  t.like(result, { ok: false, error: { code: 'malformed_credentials', message: 'x-key header was sent more than once' } });
  t.is(singleHeader(new Headers({ 'x-a': 'a,b' }), 'x-a'), 'a,b');
  t.is(singleHeader(new Headers(), 'x-a'), undefined);
  t.throws(() => singleHeader(new Headers([['x-a', ''], ['x-a', '']]), 'x-a'), { code: 'malformed_credentials' } as never);
});

test('an endless body is stopped at the limit: 413, and only about limit / chunk size chunks are pulled', async (t) => {
  const { stream, state } = endless(1024);
  const result = await keygate(scheme, { limit: '64kb' })(post(stream));
  if (result.ok) return t.fail('accepted');
  t.is(result.response.status, 413);
  t.is(result.response.headers.get('connection'), null, 'the server decides what becomes of the connection');
  t.true(state.pulled < 64 + 8, `pulled ${state.pulled} chunks of 1 KiB`);
});

test('a declared Content-Length over the limit is refused before the body is read', async (t) => {
  const { stream, state } = endless(1024);
  const result = await keygate(scheme, { limit: 100 })(post(stream, { 'x-key': 'k', 'content-length': '101' }));
  t.like(result, { ok: false, error: { code: 'body_too_large' } });
  t.true(state.pulled <= 1, 'at most the stream\'s own first pull');
});

test('a body already read is body_consumed naming the fix, never a hang or an empty body', async (t) => {
  const request = post('ok');
  await request.text();
  const result = await keygate(scheme)(request);
  t.like(result, { ok: false, error: { code: 'body_consumed' }, response: { status: 500 } });
  t.regex(result.ok ? '' : result.error.message, /verify before anything reads the body/);
});

test('a GET has an empty body; a bad limit or a missing scheme is a TypeError at start-up', async (t) => {
  const result = await keygate(fakeScheme({ needle: '' }))(new Request('http://h.test/'));
  t.like(result, { ok: true, principal: '', body: undefined });
  t.is(result.ok && result.rawBody.byteLength, 0);
  t.throws(() => keygate(scheme, { limit: 'lots' }), { instanceOf: TypeError });
  t.throws(() => keygate({} as never), { instanceOf: TypeError });
  t.throws(() => keygateEndpoint({} as never), { instanceOf: TypeError });
});

test('keygateEndpoint answers with the endpoint\'s reply, or its rejection, as a Response', async (t) => {
  const handler = keygateEndpoint({
    name: 'echo',
    handle: async (req) => ({ status: 201, headers: { 'x-echo': req.path }, body: await req.body() }),
    reject: jsonErrorReply,
  }, { limit: 4 });
  const ok = await handler(post('four'));
  t.is(ok.status, 201);
  t.is(ok.headers.get('x-echo'), '/a/b?c=1');
  t.is(await ok.text(), 'four');
  t.is((await handler(post('five!'))).status, 413);
});

test('toResponse keeps exact bytes and gives an empty body no content type', async (t) => {
  const empty = toResponse({ status: 401, body: '' });
  t.is(empty.headers.get('content-type'), null);
  t.is((await empty.arrayBuffer()).byteLength, 0);
  const bytes = toResponse({ status: 200, body: new Uint8Array([0xff, 0x00]) });
  t.deepEqual(new Uint8Array(await bytes.arrayBuffer()), new Uint8Array([0xff, 0x00]));
});

test('pathWithQuery keeps the path and query of an absolute URL', (t) => {
  t.is(pathWithQuery('https://h.test:8443/a/b?c=1&d'), '/a/b?c=1&d');
  t.is(pathWithQuery('http://h.test/'), '/');
  t.is(pathWithQuery('http://h.test'), '/');
});
