import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import test from 'ava';
import type { AuditEvent, AuditHook } from './audit.js';
import { KeygateError } from './errors.js';
import { jsonErrorReply, jsonReply } from './json-reply.js';
import type { Endpoint, Scheme } from './scheme.js';
import { createEndpointRunner, createVerifier, type RequestSource } from './verifier.js';

const SECRET = 'the-shared-secret';

/** Accepts `x-sig: good`; the key id travels in `x-key`. Header-only, so requests need no body. */
const scheme: Scheme<string> = {
  name: 'test-scheme',
  readsBody: false,
  keyIdHeader: 'x-key',
  async verify(req) {
    const key = req.header('x-key');
    if (req.header('x-sig') !== 'good') throw new KeygateError('bad_signature', 'x-sig does not match');
    return { principal: key ?? 'nobody' };
  },
  reject: jsonErrorReply,
};

function source(rawHeaders: string[], url = '/v1/pay?amount=5&token=abc'): RequestSource {
  const req = new IncomingMessage(new Socket());
  req.method = 'POST';
  req.rawHeaders = rawHeaders;
  return { req, url, saved: undefined, consumedHint: 'hint' };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function collect(): { events: AuditEvent[]; onAudit: AuditHook } {
  const events: AuditEvent[] = [];
  return { events, onAudit: (event) => void events.push(event) };
}

function warningsWith(text: string): { count(): number; stop(): void } {
  let count = 0;
  const listener = (warning: Error & { code?: string }): void => {
    if (warning.code === 'KEYGATE_AUDIT_HOOK_FAILED' && warning.message.includes(text)) count++;
  };
  process.on('warning', listener);
  return { count: () => count, stop: () => void process.off('warning', listener) };
}

test('an accepted verification: scheme, outcome, key id and request id as sent, method, path without query, duration', async (t) => {
  const { events, onAudit } = collect();
  const verifier = createVerifier(scheme, { onAudit });
  const outcome = await verifier.verify(source(['X-Key', 'TKN-7', 'X-Sig', 'good', 'X-Request-Id', 'req-1']));
  t.true(outcome.ok);
  await nextTurn();
  t.is(events.length, 1);
  const [event] = events;
  t.like(event, {
    scheme: 'test-scheme', outcome: 'accepted', code: undefined, status: undefined, keyId: 'TKN-7', requestId: 'req-1',
    method: 'POST', path: '/v1/pay',
  });
  t.true(typeof event!.durationMs === 'number' && event!.durationMs >= 0);
});

test('a rejection carries its code and the status answered, and nothing of the signature, the query or the body', async (t) => {
  const { events, onAudit } = collect();
  const verifier = createVerifier(scheme, { onAudit });
  const outcome = await verifier.verify(source(['x-key', 'k'.repeat(600), 'x-sig', SECRET]));
  t.false(outcome.ok);
  await nextTurn();
  t.like(events[0], { outcome: 'rejected', code: 'bad_signature', status: 401, requestId: undefined });
  t.is(events[0]!.keyId, 'k'.repeat(128), 'the key id is cut to a bounded length');
  const text = JSON.stringify(events[0]);
  t.false(text.includes(SECRET));
  t.false(text.includes('token=abc'));
});

test('a key id header sent twice is left out rather than joined; a scheme without a key-id header reports the accepted principal', async (t) => {
  const { events, onAudit } = collect();
  await createVerifier(scheme, { onAudit }).verify(source(['x-key', 'a', 'X-Key', 'b', 'x-sig', 'good']));
  const { keyIdHeader: _, ...sessionLike } = scheme;
  const session = createVerifier(sessionLike, { onAudit });
  await session.verify(source(['x-key', 'from-a-token', 'x-sig', 'good']));
  await session.verify(source(['x-key', 'from-a-token', 'x-sig', 'bad']));
  await nextTurn();
  t.deepEqual(events.map((e) => [e.outcome, e.keyId]), [['rejected', undefined], ['accepted', 'from-a-token'], ['rejected', undefined]]);
  t.is(events[0]!.code, 'malformed_credentials');
});

test('the hook runs after verify() has handed the outcome back, never before', async (t) => {
  const order: string[] = [];
  const verifier = createVerifier(scheme, { onAudit: () => void order.push('hook') });
  await verifier.verify(source(['x-key', 'a', 'x-sig', 'bad'])).then(() => order.push('answered'));
  await nextTurn();
  t.deepEqual(order, ['answered', 'hook']);
});

test('a hook that throws changes no answer and is reported once, however often it fails', async (t) => {
  const warnings = warningsWith('audit sink down');
  const onAudit: AuditHook = () => {
    throw new Error('audit sink down');
  };
  const plain = createVerifier(scheme);
  const hooked = createVerifier(scheme, { onAudit });
  for (const sig of ['good', 'bad', 'good']) {
    const headers = ['x-key', 'a', 'x-sig', sig];
    t.deepEqual(await hooked.verify(source(headers)), await plain.verify(source(headers)));
  }
  await nextTurn();
  await nextTurn();
  warnings.stop();
  t.is(warnings.count(), 1);
});

test('a hook that rejects is reported once; one that never settles delays nothing', async (t) => {
  const warnings = warningsWith('async sink down');
  const rejecting = createVerifier(scheme, { onAudit: async () => Promise.reject(new Error('async sink down')) });
  const hanging = createVerifier(scheme, { onAudit: () => new Promise<void>(() => {}) });
  for (let i = 0; i < 3; i++) {
    t.true((await rejecting.verify(source(['x-key', 'a', 'x-sig', 'good']))).ok);
    t.true((await hanging.verify(source(['x-key', 'a', 'x-sig', 'good']))).ok);
  }
  await nextTurn();
  await nextTurn();
  warnings.stop();
  t.is(warnings.count(), 1);
});

test('an endpoint call is audited with the status of the reply it wrote, accepted or not', async (t) => {
  const endpoint: Endpoint = {
    name: 'test-endpoint',
    keyIdHeader: 'x-key',
    async handle(req) {
      if (req.header('x-sig') !== 'good') throw new KeygateError('bad_signature', 'no');
      return jsonReply(200, { ok: true });
    },
    // Like Kiiex AuthenticateUser: a refusal answered with 200.
    reject: () => jsonReply(200, { ok: false }),
  };
  const { events, onAudit } = collect();
  const runner = createEndpointRunner(endpoint, { onAudit });
  await runner.handle(source(['x-key', 'K1', 'x-sig', 'good']));
  await runner.handle(source(['x-key', 'K2', 'x-sig', 'bad']));
  await nextTurn();
  t.deepEqual(
    events.map(({ scheme: s, outcome, code, status, keyId }) => ({ s, outcome, code, status, keyId })),
    [
      { s: 'test-endpoint', outcome: 'accepted', code: undefined, status: 200, keyId: 'K1' },
      { s: 'test-endpoint', outcome: 'rejected', code: 'bad_signature', status: 200, keyId: 'K2' },
    ],
  );
});

test('onAudit that is not a function is a TypeError at construction', (t) => {
  t.throws(() => createVerifier(scheme, { onAudit: 'log' as never }), { instanceOf: TypeError, message: /onAudit must be a function/ });
  t.throws(() => createEndpointRunner({ name: 'e', handle: async () => jsonReply(200, {}), reject: jsonErrorReply }, { onAudit: 1 as never }), {
    instanceOf: TypeError,
  });
});
