import test from 'ava';
import { KeygateError } from './errors.js';
import { signedRequestFromPort, type RequestPort } from './request-port.js';
import { createEndpointRunner, createVerifier } from './verifier.js';
import { fakeScheme } from './fake-request.js';
import { jsonErrorReply } from './json-reply.js';

function port(headers: Record<string, string>, body: RequestPort['body'] = () => null): RequestPort {
  return { method: 'POST', path: '/p?q=1', header: (name) => headers[name], body };
}

/** A stream of `count` chunks of `size` bytes that records how far it was read and whether it was cancelled. */
function counted(count: number, size: number) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled === count) return controller.close();
      state.pulled++;
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

const read = (p: RequestPort, limit = 1024) => signedRequestFromPort(p, limit).body();

test('the body is read from the stream once, whatever the number of body() calls', async (t) => {
  let calls = 0;
  const req = signedRequestFromPort(port({}, () => (calls++, [Buffer.from('ab'), Buffer.from('c')])), 10);
  const [a, b] = await Promise.all([req.body(), req.body()]);
  t.is(Buffer.from(a).toString(), 'abc');
  t.is(a, b);
  t.is(calls, 1);
  t.is(req.method, 'POST');
  t.is(req.path, '/p?q=1');
});

test('no body, or a declared length of 0, is an empty body without touching the stream', async (t) => {
  t.is((await read(port({}))).byteLength, 0);
  t.is((await read(port({ 'content-length': '0' }, () => t.fail('stream read') as never))).byteLength, 0);
});

test('a stream that passes the limit is stopped and cancelled at the chunk that passes it', async (t) => {
  const { stream, state } = counted(1000, 100);
  const error = await t.throwsAsync(read(port({}, () => stream), 1000), { instanceOf: KeygateError });
  t.is(error?.code, 'body_too_large');
  t.is(error?.message, 'request body is larger than the 1000-byte limit');
  t.true(state.pulled <= 12, `pulled ${state.pulled} chunks`);
  t.true(state.cancelled);
});

test('a body exactly at the limit is read', async (t) => {
  const { stream } = counted(10, 100);
  t.is((await read(port({}, () => stream), 1000)).byteLength, 1000);
});

test('a declared Content-Length over the limit is refused before the stream is touched', async (t) => {
  const error = await t.throwsAsync(read(port({ 'content-length': '1025' }, () => t.fail('stream read') as never)));
  t.is((error as KeygateError).code, 'body_too_large');
});

test('a body shorter or longer than its Content-Length, or a Content-Length that is not a number, is body_aborted', async (t) => {
  for (const [declared, sent] of [['5', 'abc'], ['2', 'abc'], ['3 ', 'abc'], ['+3', 'abc'], ['0x3', 'abc']] as const) {
    const error = await t.throwsAsync(read(port({ 'content-length': declared }, () => [Buffer.from(sent)])));
    t.is((error as KeygateError).code, 'body_aborted', declared);
  }
  t.is((await read(port({ 'content-length': '3' }, () => [Buffer.from('abc')]))).toString(), 'abc');
});

test('a stream that fails mid-body is body_aborted, with the failure kept as cause', async (t) => {
  const failure = new Error('socket hang up');
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array([1]));
      controller.error(failure);
    },
  });
  const error = await t.throwsAsync(read(port({}, () => stream)));
  t.is((error as KeygateError).code, 'body_aborted');
  t.is((error as KeygateError).cause, failure);
});

test('a Content-Encoding other than identity is refused before reading', async (t) => {
  const error = await t.throwsAsync(read(port({ 'content-encoding': 'gzip' }, () => t.fail('stream read') as never)));
  t.is((error as KeygateError).code, 'unsupported_encoding');
  t.is((await read(port({ 'content-encoding': 'identity' }, () => [Buffer.from('x')]))).toString(), 'x');
});

test('a KeygateError from the port (a consumed body) reaches the scheme as it is', async (t) => {
  const consumed = new KeygateError('body_consumed', 'read elsewhere');
  const error = await t.throwsAsync(read(port({}, () => {
    throw consumed;
  })));
  t.is(error, consumed);
});

test('verifyPort runs the same pipeline as verify: principal, raw bytes, JSON parsed by core, vendor replies', async (t) => {
  const verifier = createVerifier(fakeScheme(), { limit: 16 });
  const accepted = await verifier.verifyPort(port({ 'content-type': 'application/json' }, () => [Buffer.from('"ok"')]));
  t.like(accepted, { ok: true, principal: '"ok"', body: 'ok' });
  t.true(accepted.ok && Buffer.isBuffer(accepted.rawBody));
  const refused = await verifier.verifyPort(port({}, () => [Buffer.from('no')]));
  t.like(refused, { ok: false, reply: { status: 401 } });
  const big = await verifier.verifyPort(port({}, () => [Buffer.alloc(17, 0x6f)]));
  t.like(big, { ok: false, reply: { status: 413 } });
});

test('handlePort runs an endpoint with the same body handling', async (t) => {
  const runner = createEndpointRunner({
    name: 'echo',
    handle: async (req) => ({ status: 200, body: Buffer.from(await req.body()).toString() }),
    reject: jsonErrorReply,
  }, { limit: 4 });
  t.like(await runner.handlePort(port({}, () => [Buffer.from('four')])), { reply: { status: 200, body: 'four' } });
  const over = await runner.handlePort(port({}, () => [Buffer.from('five!')]));
  t.is(over.reply.status, 413);
  t.is(over.error?.code, 'body_too_large');
});
