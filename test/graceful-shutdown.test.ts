// Issue 15: graceful shutdown of the demo gateways. Under a steady load of signed requests (keep-alive and fresh
// connections), a SIGTERM loses nothing: every request gets its complete response or is refused before any byte of
// a response (and then it had no effect: its salt is still unused), none is cut mid-response, a slow upload in
// flight is finished, the process exits 0; in Redis mode every salt answered 200 stays claimed.
import { connect } from 'node:net';
import test, { type ExecutionContext } from 'ava';
import { signInqud } from '@keygate/inqud';
import { startGateway } from '@keygate/gateway-config';
import { createExpressGateway } from '@keygate/express-gateway';
import { demo } from './helpers/demo-credentials.js';
import { FRAMEWORKS, startGatewayProcess, type Framework, type GatewayProcess } from './helpers/gateways.js';
import { startRedisServer } from './helpers/redis-server.js';
import { sendOnce, steadyLoad, tally, type Sent, type WireRequest } from './helpers/steady-load.js';

const { tokenId, secret } = demo.inqud[0]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let counter = 0;
function signedPost(): WireRequest {
  const body = JSON.stringify({ amount: ++counter });
  return { method: 'POST', path: '/inqud/v1/payout', headers: { ...signInqud({ tokenId, secret, body }), 'content-type': 'application/json' }, body };
}

function exited(gateway: GatewayProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (gateway.child.exitCode !== null) return resolve(gateway.child.exitCode);
    gateway.child.once('exit', (code) => resolve(code));
  });
}

/**
 * A signed upload of 256 KiB sent in 16 pieces, one every 40 ms. `inFlight` resolves once the server has read its
 * headers (it answers `Expect: 100-continue`), `answer` with the status line and body the server finally answered
 * ('' if the connection closed without an answer).
 */
function slowUpload(url: string): { inFlight: Promise<void>; answer: Promise<string> } {
  const body = Buffer.alloc(256 * 1024, 0x62);
  const headers = { ...signInqud({ tokenId, secret, body }), 'content-type': 'text/plain', 'content-length': String(body.length), expect: '100-continue', host: 'x' };
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let answer = '';
  let piece = 0;
  let timer: NodeJS.Timeout | undefined;
  const inFlight = new Promise<void>((resolve) => {
    socket.on('data', (c: Buffer) => {
      answer += c.toString('latin1');
      if (timer !== undefined || !answer.startsWith('HTTP/1.1 100 Continue\r\n\r\n')) return;
      answer = answer.slice('HTTP/1.1 100 Continue\r\n\r\n'.length);
      resolve();
      timer = setInterval(() => {
        if (socket.destroyed) return clearInterval(timer);
        socket.write(body.subarray(piece * 16 * 1024, (piece + 1) * 16 * 1024));
        if (++piece === 16) clearInterval(timer);
      }, 40);
    });
  });
  socket.on('error', () => {});
  socket.write(`POST /inqud/v1/slow HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
  return { inFlight, answer: new Promise((resolve) => socket.on('close', () => resolve(answer))) };
}

/** Runs the load, starts a slow upload, sends SIGTERM mid-load, and keeps the load going until after the exit. */
async function shutDownUnderLoad(t: ExecutionContext, gateway: GatewayProcess): Promise<Sent[]> {
  // Warm the process up first (a fresh process is slow for its first requests), then a steady load for a while.
  for (let i = 0; i < 20; i++) await sendOnce(gateway.url, signedPost(), false);
  const load = steadyLoad(gateway.url, signedPost, 4);
  await sleep(500);
  const slow = slowUpload(gateway.url);
  await slow.inFlight;
  const exit = exited(gateway);
  gateway.child.kill('SIGTERM');
  const code = await exit;
  await sleep(150);
  const sent = await load.stop();
  const slowAnswer = await slow.answer;
  t.log(`${gateway.framework}: ${tally(sent)}`);
  t.log(gateway.output());
  t.is(code, 0, gateway.output());
  t.regex(slowAnswer, /^HTTP\/1\.1 200 /, 'the upload in flight was finished');
  t.true(slowAnswer.includes('"path":"/inqud/v1/slow"'));
  t.regex(gateway.output(), /SIGTERM: no new connections/);
  t.regex(gateway.output(), /stopped: every request finished/, 'nothing was cut off');
  const broken = sent.filter((s) => s.outcome.kind === 'broken');
  t.is(broken.length, 0, `cut mid-response: ${tally(broken)}`);
  const completed = sent.filter((s) => s.outcome.kind === 'complete');
  t.true(completed.length > 0);
  t.true(completed.every((s) => s.outcome.kind === 'complete' && s.outcome.status === 200), tally(completed));
  t.true(sent.some((s) => s.outcome.kind === 'refused' && s.outcome.error === 'ECONNREFUSED'), 'requests after the stop are refused');
  return sent;
}

for (const framework of FRAMEWORKS) {
  test(`${framework}: SIGTERM under load loses no request and exits 0`, async (t) => {
    await shutDownUnderLoad(t, await startGatewayProcess(framework));
  });
}

test('redis: after a SIGTERM under load, every salt answered 200 stays claimed and every refused request had no effect', async (t) => {
  const redis = await startRedisServer();
  const env = { REDIS_URL: redis.url };
  try {
    const sent: Sent[] = [];
    for (const framework of FRAMEWORKS) sent.push(...(await shutDownUnderLoad(t, await startGatewayProcess(framework as Framework, env))));
    const after = await startGatewayProcess('express', env);
    try {
      for (const { request, outcome } of sent) {
        if (outcome.kind === 'broken') continue; // already failed above
        const again = await sendOnce(after.url, request, false);
        if (again.kind !== 'complete') return t.fail(`the check itself failed: ${JSON.stringify(again)}`);
        if (outcome.kind === 'complete') t.is(again.status, 401, `a salt answered 200 was forgotten: ${again.body}`);
        else t.is(again.status, 200, `a refused request left its salt claimed: ${again.body}`);
      }
    } finally {
      await after.stop();
    }
  } finally {
    await redis.stop();
  }
});

test('a request that outlives the deadline is cut at KEYGATE_SHUTDOWN_DEADLINE, and the process still exits 0', async (t) => {
  const gateway = await startGatewayProcess('koa', { KEYGATE_SHUTDOWN_DEADLINE: '200ms' });
  const { hostname, port } = new URL(gateway.url);
  const stuck = connect(Number(port), hostname);
  const closed = new Promise<void>((resolve) => stuck.on('close', () => resolve()));
  stuck.on('error', () => {});
  // Declares a body it never finishes sending.
  stuck.write(`POST /inqud/v1/payout HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n${Object.entries(signInqud({ tokenId, secret, body: 'x' })).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n{`);
  await sleep(200);
  const exit = exited(gateway);
  gateway.child.kill('SIGTERM');
  t.is(await exit, 0);
  await closed;
  t.regex(gateway.output(), /stopped at the deadline: 1 connection cut/);
});

test('a KEYGATE_SHUTDOWN_DEADLINE that is not a duration stops the start-up', async (t) => {
  const error = await t.throwsAsync(startGateway('express-gateway', createExpressGateway, { PORT: '0', KEYGATE_SHUTDOWN_DEADLINE: 'soon' }));
  t.regex(error?.message ?? '', /KEYGATE_SHUTDOWN_DEADLINE must be a positive duration such as .*, got "soon"/);
});
