// The demo gateways' operations endpoints over real HTTP: /metrics (Prometheus text), /readyz and /healthz, in memory
// mode and with a real Redis that goes away and comes back.
import test from 'ava';
import { signInqud } from '@keygate/inqud';
import { signLenme } from '@keygate/lenme';
import { demo } from './helpers/demo-credentials.js';
import { FRAMEWORKS, startGatewayProcess, type GatewayProcess } from './helpers/gateways.js';
import { send } from './helpers/http.js';
import { startRedisServer } from './helpers/redis-server.js';
import { TEST_SESSION_KEY } from './helpers/scheme-clients.js';

const { tokenId, secret } = demo.inqud[0]!;
const lenmeKey = demo.lenme[0]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function inqudPost(gateway: GatewayProcess, headers: Record<string, string>, body = '{"amount": 1}') {
  return send(`${gateway.url}/inqud/v1/pay`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
}

/** The value of one sample line of the Prometheus text, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Polls `url` until it answers `status` (a wait for a background reconnect, not a timing claim). */
async function until(url: string, status: number): Promise<number> {
  let seen = 0;
  for (let i = 0; i < 200 && seen !== status; i++) {
    seen = (await send(url)).status;
    if (seen !== status) await sleep(50);
  }
  return seen;
}

for (const framework of FRAMEWORKS) {
  test(`${framework}: /metrics counts requests by scheme, outcome and code, times them, and shows the replay store's fill`, async (t) => {
    const gateway = await startGatewayProcess(framework, { KEYGATE_SESSION_KEY: TEST_SESSION_KEY });
    try {
      const body = '{"amount": 1}';
      const replayed = signInqud({ tokenId, secret, body });
      t.is((await inqudPost(gateway, replayed, body)).status, 200);
      t.is((await inqudPost(gateway, signInqud({ tokenId, secret, body }), body)).status, 200);
      t.is((await inqudPost(gateway, replayed, body)).status, 401);
      t.is((await inqudPost(gateway, signInqud({ tokenId, secret: 'wrong', body }), body)).status, 401);
      t.is((await send(`${gateway.url}/lenme/v1/loans`, { headers: signLenme({ apiKey: lenmeKey.apiKey, secret: lenmeKey.secret }) })).status, 200);
      t.is((await send(`${gateway.url}/healthz`)).status, 200);

      const metrics = await send(`${gateway.url}/metrics`);
      t.is(metrics.status, 200);
      t.regex(String(metrics.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      const text = metrics.body;
      t.is(sample(text, 'keygate_requests_total{scheme="inqud",outcome="accepted",code="none"}'), 2);
      t.is(sample(text, 'keygate_requests_total{scheme="inqud",outcome="rejected",code="replayed"}'), 1);
      t.is(sample(text, 'keygate_requests_total{scheme="inqud",outcome="rejected",code="bad_signature"}'), 1);
      t.is(sample(text, 'keygate_requests_total{scheme="lenme",outcome="accepted",code="none"}'), 1);
      t.is(sample(text, 'keygate_verification_duration_seconds_count{scheme="inqud"}'), 4);
      t.is(sample(text, 'keygate_verification_duration_seconds_bucket{le="+Inf",scheme="lenme"}'), 1);
      t.is(sample(text, 'keygate_store_errors_total{store="nonces"}'), 0);
      t.is(sample(text, 'keygate_replay_store_nonces'), 2, 'two salts claimed; the replay and the forgery claimed none');
      t.true(sample(text, 'keygate_replay_store_fill_ratio')! > 0);
      t.is(sample(text, 'keygate_ready'), 1);
      t.regex(text, /^process_cpu_seconds_total /m, "Node's process metrics too");
      t.notRegex(text, /healthz|metrics"/, 'the ops endpoints are not counted as authenticated requests');
      t.false(text.includes(secret));

      const ready = await send(`${gateway.url}/readyz`);
      t.is(ready.status, 200, 'memory mode is always ready');
    } finally {
      await gateway.stop();
    }
  });
}

test('LOG_LEVEL=warn keeps the start-up line and drops the request lines, while the metrics still count; a bad LOG_LEVEL stops the start-up', async (t) => {
  const gateway = await startGatewayProcess('express', { LOG_LEVEL: 'warn', KEYGATE_SESSION_KEY: TEST_SESSION_KEY });
  try {
    t.is((await inqudPost(gateway, signInqud({ tokenId, secret, body: '{"amount": 1}' }))).status, 200);
    t.is((await inqudPost(gateway, signInqud({ tokenId, secret: 'wrong', body: '{"amount": 1}' }))).status, 401);
    const text = (await send(`${gateway.url}/metrics`)).body;
    t.is(sample(text, 'keygate_requests_total{scheme="inqud",outcome="accepted",code="none"}'), 1);
  } finally {
    await gateway.stop();
  }
  t.regex(gateway.output(), /listening on http:\/\//);
  t.notRegex(gateway.output(), /"outcome"/, 'no request line at warn');
  const error = await t.throwsAsync(startGatewayProcess('koa', { LOG_LEVEL: 'verbose' }));
  t.regex(error?.message ?? '', /LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent/);
});

test('with Redis: /readyz answers 503 while Redis is unreachable and 200 again once it is back; store errors are counted', async (t) => {
  const redis = await startRedisServer();
  const gateways = await Promise.all(FRAMEWORKS.map((f) => startGatewayProcess(f, { REDIS_URL: redis.url, KEYGATE_SESSION_KEY: TEST_SESSION_KEY })));
  try {
    for (const gateway of gateways) t.is(await until(`${gateway.url}/readyz`, 200), 200, `${gateway.framework} ready with Redis up`);
    await redis.stop();
    for (const gateway of gateways) {
      const label = gateway.framework;
      t.is(await until(`${gateway.url}/readyz`, 503), 503, `${label}: not ready while Redis is down`);
      const readyz = await send(`${gateway.url}/readyz`);
      t.is(readyz.json()['status'], 'unavailable');
      t.is((await send(`${gateway.url}/healthz`)).status, 200, `${label}: still alive`);
      t.is((await inqudPost(gateway, signInqud({ tokenId, secret, body: '{"amount": 1}' }))).status, 503);
      const text = (await send(`${gateway.url}/metrics`)).body;
      t.true(sample(text, 'keygate_store_errors_total{store="nonces"}')! >= 1, `${label}: the failed claim is counted`);
      t.true(sample(text, 'keygate_requests_total{scheme="inqud",outcome="rejected",code="store_unavailable"}')! >= 1);
      t.is(sample(text, 'keygate_ready'), 0);
      t.is(sample(text, 'keygate_replay_store_fill_ratio'), undefined, 'no memory-store gauge when replay state is in Redis');
    }
    await redis.start();
    for (const gateway of gateways) t.is(await until(`${gateway.url}/readyz`, 200), 200, `${gateway.framework} ready again`);
  } finally {
    await Promise.all(gateways.map((g) => g.stop()));
    await redis.stop();
  }
});
