import test from 'ava';
import { KeygateError, memoryNonceStore, memoryRevocationStore, type AuditEvent, type NonceStore } from '@keygate/core';
import { countStoreErrors, gatewayMetrics } from './metrics.js';
import { requestLog } from './request-log.js';
import type { GatewayStores } from './stores.js';
import { memoryLogger } from './test-logger.js';

function memoryStores(nonces: NonceStore = memoryNonceStore()): GatewayStores {
  const usage = memoryNonceStore();
  return {
    nonces, revocations: memoryRevocationStore(), kind: 'memory', ready: () => true, replayUsage: () => usage.usage(), close: async () => {},
  };
}

const event = (overrides: Partial<AuditEvent> = {}): AuditEvent => ({
  scheme: 'inqud', outcome: 'accepted', code: undefined, status: undefined, keyId: 'TKN-1', requestId: undefined,
  durationMs: 0.1234567, method: 'POST', path: '/inqud/v1/pay', ...overrides,
});

test('one JSON line per request: request id, method, path, scheme, outcome, code, status, latency, key id', (t) => {
  const { logger, lines } = memoryLogger();
  const hook = requestLog(logger, gatewayMetrics(memoryStores()));
  void hook(event());
  void hook(event({ outcome: 'rejected', code: 'bad_signature', status: 401, requestId: 'from-proxy-7' }));
  void hook(event({ outcome: 'rejected', code: 'store_unavailable', status: 503 }));
  const [accepted, refused, unavailable] = lines();
  t.like(accepted, { level: 30, method: 'POST', path: '/inqud/v1/pay', scheme: 'inqud', outcome: 'accepted', code: null, status: 200, latencyMs: 0.123, keyId: 'TKN-1', msg: 'request accepted' });
  t.regex(String(accepted!['reqId']), /^[0-9a-f]{8}-1$/);
  t.like(refused, { level: 30, reqId: 'from-proxy-7', outcome: 'rejected', code: 'bad_signature', status: 401, msg: 'request refused' });
  t.like(unavailable, { level: 40, code: 'store_unavailable', status: 503 }, 'a 5xx refusal is a warning');
  t.not(unavailable!['reqId'], accepted!['reqId']);
});

test('a level above info drops the request lines but not the counting', async (t) => {
  const { logger, lines } = memoryLogger('warn');
  const metrics = gatewayMetrics(memoryStores());
  const hook = requestLog(logger, metrics);
  void hook(event());
  void hook(event({ outcome: 'rejected', code: 'replayed', status: 401 }));
  t.deepEqual(lines(), []);
  const text = await metrics.registry.metrics();
  t.regex(text, /^keygate_requests_total\{scheme="inqud",outcome="accepted",code="none"\} 1$/m);
  t.regex(text, /^keygate_requests_total\{scheme="inqud",outcome="rejected",code="replayed"\} 1$/m);
  t.regex(text, /^keygate_verification_duration_seconds_count\{scheme="inqud"\} 2$/m);
});

test('store errors are counted per store, sync or async, and still fail the call; answers pass through unchanged', async (t) => {
  let mode: 'ok' | 'throw' | 'reject' = 'ok';
  const flaky: NonceStore = {
    claim: () => {
      if (mode === 'throw') throw new KeygateError('store_unavailable', 'nonce store is full');
      return mode === 'reject' ? Promise.reject(new Error('redis down')) : true;
    },
  };
  const stores = memoryStores(flaky);
  const metrics = gatewayMetrics(stores);
  const counted = countStoreErrors(stores, metrics);
  t.true(counted.nonces.claim('s', 'n', 1000) as boolean, 'a synchronous answer stays synchronous');
  mode = 'throw';
  t.throws(() => counted.nonces.claim('s', 'n', 1000), { message: 'nonce store is full' });
  mode = 'reject';
  await t.throwsAsync(Promise.resolve(counted.nonces.claim('s', 'n', 1000)), { message: 'redis down' });
  t.false(counted.revocations.isRevoked('jti') as boolean);
  const text = await metrics.registry.metrics();
  t.regex(text, /^keygate_store_errors_total\{store="nonces"\} 2$/m);
  t.regex(text, /^keygate_store_errors_total\{store="revocations"\} 0$/m);
});

test('the replay store gauges read its fill level when scraped, and are absent for Redis', async (t) => {
  const stores = memoryStores();
  const text = await gatewayMetrics(stores).registry.metrics();
  t.regex(text, /^keygate_replay_store_fill_ratio 0$/m);
  t.regex(text, /^keygate_replay_store_nonces 0$/m);
  t.regex(text, /^keygate_ready 1$/m);
  const redis = await gatewayMetrics({ ...stores, kind: 'redis', ready: () => false, replayUsage: () => undefined }).registry.metrics();
  t.notRegex(redis, /keygate_replay_store/);
  t.regex(redis, /^keygate_ready 0$/m);
});
