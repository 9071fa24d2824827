// `pnpm bench`: every DESIGN section 7 figure in one run, on one machine, as ratios against anchors measured in the
// same run. Progress goes to stderr; stdout gets the tables and, as its last line, one JSON object of every ratio.
import { spawnSync } from 'node:child_process';
import { onlySections } from './src/args.js';
import { jsonBody, sizeKey, sizeLabel } from './src/bodies.js';
import { cpuRatio, httpRow, rpsRatio, runHttp, type ServerSpec } from './src/http/run.js';
import { HMAC_AUTH_SECRET, hmacAuthSigned, INQUD_PATH, inqudSigned } from './src/http/signers.js';
import { runLinger } from './src/linger.js';
import { memoryRow, peakRatio, runMemory } from './src/memory.js';
import { runObserve } from './src/observe.js';
import { MICRO_CASES } from './src/micro/cases.js';
import { microKey, runMicro } from './src/micro/run.js';
import { stopAllChildren } from './src/proc.js';
import { redisSlot, type RedisSlot } from './src/redis.js';
import { runReject, type RejectRow } from './src/reject.js';
import { runRedisMemory } from './src/replay/redis-memory.js';
import { driveGateway } from './src/replay/drive.js';
import { compareStores, runClaims } from './src/replay/run.js';
import { fixed, int, machine, ratio, table, target, type Target } from './src/report.js';
import { round } from './src/stats.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = onlySections(args, ['micro', 'observe', 'http', 'memory', 'reject', 'redis', 'replay', 'linger']);
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const EXPRESS_GATEWAY = 'examples/express-gateway/src/main.ts';
const KOA_GATEWAY = 'examples/koa-gateway/src/main.ts';
const FASTIFY_GATEWAY = 'examples/fastify-gateway/src/main.ts';
const HONO_GATEWAY = 'examples/hono-gateway/src/main.ts';
/** Every demo gateway, as the sections that measure each of them alike name it. */
const GATEWAYS = [['express-gateway', EXPRESS_GATEWAY], ['koa-gateway', KOA_GATEWAY], ['fastify-gateway', FASTIFY_GATEWAY], ['hono-gateway', HONO_GATEWAY]] as const;
const KIB = 1024;
/** Busy-loop lengths of the busy-*-fastify calibration rows, µs per request. */
const BUSY_US = [15, 30] as const;
const MIB = 1024 * 1024;

const ratios: Record<string, number | null> = {};
const targets: Target[] = [];
const sections: string[] = [];
const put = (key: string, value: number | null, digits = 3): void => {
  ratios[key] = value === null ? null : round(value, digits);
};

const started = Date.now();
const host = machine();
log(`keygate bench on ${host.cores} x ${host.cpu}, Node ${host.node}${quick ? ' (quick)' : ''}`);

if (only.has('micro')) {
  const micro = await runMicro(MICRO_CASES, { rounds: quick ? 7 : 21, roundMs: quick ? 10 : 20, log });
  const sizeOf = (size: number | undefined): string => (size === undefined ? 'any' : sizeLabel(size));
  sections.push(
    'Micro: scheme.verify on a pre-built SignedRequest vs a hand-written createHmac + timingSafeEqual (ns per call, medians;',
    'the -inline row is not keygate but the same checks written inline, for reference)',
    table(
      ['scheme', 'body', 'verify ns', 'minimal ns', 'ratio', 'target'],
      micro.verify.map((r) => [r.scheme, sizeOf(r.size), int(r.keygateNs), int(r.minimalNs), ratio(r.ratio), r.reference ? 'reference' : '<= 1.30x']),
    ),
    '',
    'Micro: unknown key id vs known id with a bad signature (ns per call, medians)',
    table(
      ['scheme', 'body', 'unknown ns', 'bad sig ns', 'ratio', 'target'],
      micro.timing.map((r) => [r.scheme, sizeOf(r.size), int(r.unknownNs), int(r.badNs), ratio(r.ratio, 3), '0.90-1.10x']),
    ),
    '',
  );
  for (const r of micro.verify) {
    const key = `micro.${microKey(r.scheme, r.size)}`;
    put(key, r.ratio);
    if (!r.reference) targets.push(target(`verify ${r.scheme} ${sizeOf(r.size)} vs minimal`, key, ratios[key]!, '<= 1.3', (v) => v <= 1.3));
  }
  for (const r of micro.timing) {
    const key = `micro.${r.scheme}.unknown_vs_bad.${r.size === undefined ? 'any' : sizeKey(r.size)}`;
    put(key, r.ratio);
    targets.push(target(`unknown id vs bad signature ${r.scheme} ${sizeOf(r.size)}`, key, ratios[key]!, '0.9-1.1', (v) => v >= 0.9 && v <= 1.1));
  }
}

if (only.has('observe')) {
  const observe = await runObserve({ rounds: quick ? 7 : 21, roundMs: quick ? 10 : 20, log });
  sections.push(
    "Observation: the demo gateways' onAudit hook per request, in process (ns per request, medians of interleaved rounds)",
    table(
      ['part', 'ns'],
      [
        ['metrics (prom-client counter + histogram)', int(observe.metricsNs)],
        ['JSON request line (pino, the gateways\' destination)', int(observe.hookNs - observe.metricsNs)],
        ['whole hook', int(observe.hookNs)],
      ],
    ),
    'The HTTP section measures the same cost end to end: each gateway beside its *-unobserved twin.',
    '',
  );
  put('observe.hook_ns', observe.hookNs, 0);
  put('observe.metrics_ns', observe.metricsNs, 0);
}

let redis: RedisSlot = { ready: false, pending: 'not run (--only)' };
if (only.has('redis') && only.has('http')) redis = await redisSlot(EXPRESS_GATEWAY);

if (only.has('http')) {
  const body = jsonBody(KIB);
  const inqud = (): ReturnType<typeof inqudSigned> => inqudSigned(body);
  const frameworks = ['express', 'koa', 'fastify', 'hono'] as const;
  const gatewayEntry = Object.fromEntries(GATEWAYS) as Record<`${(typeof frameworks)[number]}-gateway`, string>;
  const specs: ServerSpec[] = frameworks.flatMap((f): ServerSpec[] => [
    { name: `bare-${f}`, entry: `bench/src/servers/bare-${f}.ts`, path: INQUD_PATH, requests: inqud },
    { name: `${f}-gateway`, entry: gatewayEntry[`${f}-gateway`], path: INQUD_PATH, requests: inqud },
    { name: `${f}-gateway-unobserved`, entry: 'bench/src/servers/gateway-unobserved.ts', env: { KEYGATE_BENCH_FRAMEWORK: f }, path: INQUD_PATH, requests: inqud },
    ...(f === 'express'
      ? [{ name: 'hmac-auth-express', entry: 'bench/src/servers/hmac-auth-express.ts', env: { HMAC_AUTH_SECRET }, path: INQUD_PATH, requests: () => hmacAuthSigned(body, INQUD_PATH) }]
      : []),
    { name: `minimal-${f}`, entry: `bench/src/servers/minimal-${f}.ts`, path: INQUD_PATH, requests: inqud },
  ]);
  for (const busyUs of BUSY_US) {
    specs.push({ name: `busy-${busyUs}-fastify`, entry: 'bench/src/servers/busy-fastify.ts', env: { BUSY_US: String(busyUs) }, path: INQUD_PATH, requests: inqud });
  }
  if (redis.ready) {
    specs.push({ name: 'express-gateway-redis', entry: EXPRESS_GATEWAY, env: { REDIS_URL: redis.url }, expectOutput: /replay state: redis/, path: INQUD_PATH, requests: inqud });
  }
  const httpOptions = { rounds: quick ? 2 : 8, warmupSeconds: 1, seconds: quick ? 1 : 2, connections: 10, log };
  const samples = await runHttp(specs, httpOptions);
  if (redis.ready) await redis.stop();
  const rows = specs.map((s) => httpRow(s.name, samples.get(s.name)!));
  const vsMinimal = Object.fromEntries(frameworks.map((f) => [f, rpsRatio(samples, `${f}-gateway`, `minimal-${f}`)]));
  const observed = (gateway: string) => ({
    rps: rpsRatio(samples, gateway, `${gateway}-unobserved`),
    cpu: cpuRatio(samples, `${gateway}-unobserved`, gateway),
    extraUs: httpRow(gateway, samples.get(gateway)!).cpuUs - httpRow(`${gateway}-unobserved`, samples.get(`${gateway}-unobserved`)!).cpuUs,
  });
  const logs = Object.fromEntries(frameworks.map((f) => [f, observed(`${f}-gateway`)]));
  // CPU per request beyond bare Fastify's, per µs of busy loop: 1.0 would mean work costs only itself.
  const bareFastifyUs = httpRow('bare-fastify', samples.get('bare-fastify')!).cpuUs;
  const amplification = BUSY_US.map((busyUs) => (httpRow(`busy-${busyUs}-fastify`, samples.get(`busy-${busyUs}-fastify`)!).cpuUs - bareFastifyUs) / busyUs);
  const anchor: Record<string, string> = {
    'hmac-auth-express': 'bare-express', 'express-gateway-redis': 'express-gateway',
    ...Object.fromEntries(BUSY_US.map((busyUs) => [`busy-${busyUs}-fastify`, 'bare-fastify'])),
    ...Object.fromEntries(frameworks.flatMap((f) => [`${f}-gateway`, `${f}-gateway-unobserved`, `minimal-${f}`].map((name) => [name, `bare-${f}`]))),
  };
  sections.push(
    `HTTP: 1 KiB JSON POSTs, each signed for its server beforehand (Inqud HMAC with a fresh salt, or hmac-auth-express), ` +
      `autocannon ${httpOptions.connections} connections, ${httpOptions.rounds} rounds of ${httpOptions.seconds} s per server, servers side by side ` +
      `(medians; ratios paired by round; CPU ratio = anchor's server CPU per request / this one's)`,
    table(
      ['server', 'req/s', 'vs', 'ratio', 'CPU ratio', 'CPU µs/req', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'late-signed'],
      rows.map((r) => {
        const base = anchor[r.name];
        return [
          r.name, int(r.rps), base ?? '', base === undefined ? '1.00x' : ratio(rpsRatio(samples, r.name, base)),
          base === undefined ? '1.00x' : ratio(cpuRatio(samples, base, r.name)), fixed(r.cpuUs, 0), fixed(r.p50Ms, 1), fixed(r.p99Ms, 1),
          int(r.requests), int(r.non2xx + r.errors), int(r.late),
        ];
      }),
    ),
    `The minimal-* rows are calibration, not peers: the bare server plus only the inline HMAC check ` +
      `(createHmac + timingSafeEqual, no replay store, no validation), the floor under any HMAC verifier. The gateways ` +
      `run at ${frameworks.map((f) => `${ratio(vsMinimal[f]!)} (${f})`).join(', ')} of them.`,
    `*-unobserved rows are the same gateways without the per-request audit hook (no JSON request line, no request ` +
      `metrics). What logs and metrics cost, as each gateway's throughput over its unobserved twin's (CPU ratio, extra ` +
      `CPU per request): ${frameworks.map((f) => `${f} ${ratio(logs[f]!.rps)} (${ratio(logs[f]!.cpu)}, ${fixed(logs[f]!.extraUs, 1)} µs)`).join(', ')}.`,
    `busy-*-fastify rows are calibration too: bare Fastify plus a busy loop of that many µs per request and nothing else. ` +
      `Each µs of it cost ${BUSY_US.map((busyUs, i) => `${fixed(amplification[i]!, 2)} µs of server CPU (${busyUs} µs loop)`).join(', ')}: ` +
      `on this machine a server pays that multiple for any work it adds, a verifier's included.`,
    '',
  );
  BUSY_US.forEach((busyUs, i) => put(`http.cpu_per_busy_us_at_${busyUs}`, amplification[i]!));
  const late = rows.reduce((n, r) => n + r.late, 0);
  const bad = rows.filter((r) => r.non2xx + r.errors > 0);
  if (bad.length > 0 || late > 0) {
    const problems = bad.map((r) => `${r.name} had ${r.non2xx} non-2xx and ${r.errors} errors`);
    if (late > 0) problems.push(`${late} requests were signed during a run (the pool ran short)`);
    sections.push(`WARNING: ${problems.join('; ')}`, '');
  }
  for (const f of frameworks) {
    put(`http.${f}_gateway_vs_bare_${f}`, rpsRatio(samples, `${f}-gateway`, `bare-${f}`));
    put(`http.minimal_${f}_vs_bare_${f}`, rpsRatio(samples, `minimal-${f}`, `bare-${f}`));
    put(`http.${f}_gateway_vs_minimal_${f}`, vsMinimal[f]!);
    put(`http.cpu.${f}_gateway_vs_bare_${f}`, cpuRatio(samples, `bare-${f}`, `${f}-gateway`));
  }
  put('http.hmac_auth_express_vs_bare_express', rpsRatio(samples, 'hmac-auth-express', 'bare-express'));
  put('http.express_gateway_vs_hmac_auth_express', rpsRatio(samples, 'express-gateway', 'hmac-auth-express'));
  for (const f of frameworks) {
    put(`http.${f}_gateway_vs_unobserved`, logs[f]!.rps);
    put(`http.cpu.${f}_gateway_vs_unobserved`, logs[f]!.cpu);
    put(`http.${f}_gateway_unobserved_vs_bare_${f}`, rpsRatio(samples, `${f}-gateway-unobserved`, `bare-${f}`));
  }
  put('redis.express_gateway_redis_vs_memory', redis.ready ? rpsRatio(samples, 'express-gateway-redis', 'express-gateway') : null);
  targets.push(
    target('Express gateway vs bare Express 5', 'http.express_gateway_vs_bare_express', ratios['http.express_gateway_vs_bare_express']!, '>= 0.80', (v) => v >= 0.8),
    target('Koa gateway vs bare Koa 3', 'http.koa_gateway_vs_bare_koa', ratios['http.koa_gateway_vs_bare_koa']!, '>= 0.80', (v) => v >= 0.8),
    target('Fastify gateway vs bare Fastify 5', 'http.fastify_gateway_vs_bare_fastify', ratios['http.fastify_gateway_vs_bare_fastify']!, '>= 0.85', (v) => v >= 0.85),
    target('Hono gateway vs bare Hono 4', 'http.hono_gateway_vs_bare_hono', ratios['http.hono_gateway_vs_bare_hono']!, '>= 0.85', (v) => v >= 0.85),
    target('Redis replay store vs memory store', 'redis.express_gateway_redis_vs_memory', ratios['redis.express_gateway_redis_vs_memory']!, '>= 0.6', (v) => v >= 0.6),
  );
  if (!redis.ready) sections.push(`Redis slot: pending (${redis.pending})`, '');
}

if (only.has('memory')) {
  const body = jsonBody(MIB);
  const inqud = (): ReturnType<typeof inqudSigned> => inqudSigned(body);
  const specs: ServerSpec[] = [
    { name: 'bare-express', entry: 'bench/src/servers/bare-express.ts', path: INQUD_PATH, requests: inqud },
    { name: 'express-gateway', entry: EXPRESS_GATEWAY, path: INQUD_PATH, requests: inqud },
  ];
  const options = { rounds: quick ? 1 : 3, amount: quick ? 100 : 300, connections: 20, log };
  const samples = await runMemory(specs, options);
  const rows = specs.map((s) => memoryRow(s.name, samples.get(s.name)!));
  const peak = peakRatio(samples, 'express-gateway', 'bare-express');
  sections.push(
    `Memory: ${options.amount} POSTs of 1 MiB JSON (signed), ${options.connections} connections, peak RSS of the server process (VmHWM), ${options.rounds} rounds`,
    table(
      ['server', 'idle MiB', 'peak MiB', 'ratio', 'req/s', 'non-2xx'],
      rows.map((r) => [r.name, fixed(r.idleMiB, 0), fixed(r.peakMiB, 0), r.name === 'bare-express' ? '1.00x' : ratio(peak), fixed(r.rps, 0), int(r.non2xx)]),
    ),
    '',
  );
  put('memory.express_gateway_vs_bare_express_peak_rss', peak);
  targets.push(target('peak RSS, Express gateway vs bare Express', 'memory.express_gateway_vs_bare_express_peak_rss', ratios['memory.express_gateway_vs_bare_express_peak_rss']!, '<= 1.1', (v) => v <= 1.1));
}

if (only.has('reject')) {
  const body = jsonBody(MIB);
  const rows: RejectRow[] = [];
  for (const [name, entry] of GATEWAYS) {
    rows.push(await runReject({ name, entry, path: INQUD_PATH, requests: () => inqudSigned(body) }, { rounds: quick ? 1 : 3, seconds: quick ? 1 : 2, connections: 10, bodyBytes: MIB, log }, body));
  }
  sections.push(
    'Early rejection: a request refused on its headers vs the same request accepted, both carrying 1 MiB (server CPU per request)',
    table(
      ['gateway', 'case', 'reject µs', 'accept µs', 'CPU ratio', 'reject req/s', 'accept req/s', 'unexpected'],
      rows.map((r) => [r.gateway, r.label, fixed(r.rejectCpuUs, 0), fixed(r.acceptCpuUs, 0), ratio(r.cpuRatio), int(r.rejectRps), int(r.acceptRps), int(r.unexpected)]),
    ),
    '',
  );
  for (const r of rows) {
    const key = `reject.${r.gateway.replace('-', '_')}.cpu_reject_vs_accept`;
    put(key, r.cpuRatio);
    targets.push(target(`early rejection on ${r.gateway} cheaper than accepting`, key, ratios[key]!, '< 1', (v) => v < 1));
  }
}

if (only.has('replay')) {
  const count = quick ? 200_000 : 1_000_000;
  const rows = compareStores(count, quick ? 1 : 3, log);
  const calibration = rows.get('none')!;
  const keygate = rows.get('keygate')!;
  const map = rows.get('map')!;
  // Claim cost without the cost of making the salt strings, which both stores pay alike.
  const claimRatio = (keygate.cpuNsPerClaim - calibration.cpuNsPerClaim) / (map.cpuNsPerClaim - calibration.cpuNsPerClaim);
  const pauseCount = quick ? 2_000_000 : 10_000_000;
  const pause = runClaims('keygate', pauseCount);
  const spin = runClaims('spin', pauseCount);
  for (const run of [pause, spin]) {
    log(`replay pause run ${run.store}: ${pauseCount} claims, longest ${run.longestClaimMs.toFixed(2)} ms, ${run.claimsOver1ms} over 1 ms; from ${run.pauseFrom} on, net of GC: longest ${run.longestWarmNetOfGcMs.toFixed(2)} ms, ${run.warmClaimsOver1msNetOfGc} over 1 ms`);
  }
  const redisRows = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0 ? await runRedisMemory(count, log) : [];
  const driveCount = quick ? 120_000 : 250_000;
  const drives = [];
  for (const [name, entry] of GATEWAYS) drives.push(await driveGateway(name, entry, driveCount, log));
  sections.push(
    `Replay store: ${int(count)} fresh 64-hex salts claimed under one Inqud scope, each store in a fresh process, ` +
      `${quick ? 1 : 3} rounds (medians); memory after a full GC against the empty store`,
    table(
      ['store', 'CPU ns/claim', 'heap B/nonce', 'RSS B/nonce', 'longest claim ms', 'longest GC ms'],
      [calibration, keygate, map].map((r) => [
        { none: 'salt strings only (calibration)', keygate: 'keygate memoryNonceStore', map: 'keygate 0.1 Map store (baseline)' }[r.store]!,
        fixed(r.cpuNsPerClaim, 0), fixed(r.heapBytesPerNonce, 1), fixed(r.rssBytesPerNonce, 1), fixed(r.longestClaimMs, 2), fixed(r.longestGcMs, 2),
      ]),
    ),
    `Claim cost net of the salt strings: keygate ${fixed(keygate.cpuNsPerClaim - calibration.cpuNsPerClaim, 0)} ns, ` +
      `0.1 store ${fixed(map.cpuNsPerClaim - calibration.cpuNsPerClaim, 0)} ns (${ratio(claimRatio)}).`,
    'keygate\'s store reserves its budget when it is made, so its heap column counts none of it; its memory is RSS.',
    `Up to ${int(pauseCount)} live nonces (one process each; keygate ${fixed(pause.rssBytesPerNonce, 1)} RSS B/nonce)`,
    table(
      ['store', 'longest claim ms', 'claims over 1 ms', `from ${int(pause.pauseFrom)} on, net of GC: longest ms`, 'over 1 ms', 'longest GC ms'],
      [pause, spin].map((r) => [
        r.store === 'spin' ? 'about 1 µs of busy loop (calibration)' : 'keygate memoryNonceStore',
        fixed(r.longestClaimMs, 2), int(r.claimsOver1ms), fixed(r.longestWarmNetOfGcMs, 2), int(r.warmClaimsOver1msNetOfGc), fixed(r.longestGcMs, 2),
      ]),
    ),
    'The first claims pay for V8 compiling the code; a collection stops whatever runs when it starts or ends; and a ' +
      'claim as long as keygate\'s is exposed to the machine\'s own stalls, which the calibration row shows.',
    '',
  );
  sections.push(
    `Demo gateways on their default memory replay store, ${int(driveCount)} Inqud requests each with a fresh salt ` +
      '(64 connections; the 0.1 store refused every request after the first 100 000 with 503)',
    table(
      ['gateway', 'requests', '200', 'other', 'req/s', 'RSS MiB after', 'fill warning'],
      drives.map((d) => [d.gateway, int(d.requests), int(d.ok), int(d.other), int(d.rps), fixed(d.rssMiB, 0), d.replayFill]),
    ),
    '',
  );
  if (redisRows.length > 0) {
    sections.push(
      `Redis memory per live nonce: ${int(count)} claims of fresh salts into a fresh redis-server from one client (128 in flight), INFO used_memory before and after, over the claims; INFO cpu for Redis CPU per claim`,
      table(
        ['store', 'name bytes', 'B/nonce', 'Redis CPU µs/claim', 'claims/s'],
        redisRows.map((r) => [r.name, r.keyBytes, fixed(r.bytesPerNonce, 1), fixed(r.redisCpuUsPerClaim, 1), int(r.claimsPerSecond)]),
      ),
      'The last row is the least any one-key-per-nonce design (SET NX PX of a unique 96-bit key) costs on this Redis: two ' +
        'dictionary entries (main and expires, 32 bytes each with jemalloc), the key (16 bytes up to 14 key bytes), and both ' +
        'tables\' bucket arrays. keygate keeps fingerprints as fields of per-bucket hashes that expire by slice instead: a ' +
        'hash of at most hash-max-listpack-entries fields is one compact listpack; a larger one is a hash table.',
      '',
    );
  }
  put('replay.memory_store_rss_bytes_per_nonce_at_10m', pause.rssBytesPerNonce, 1);
  put('replay.memory_store_claim_cost_vs_0_1', claimRatio);
  put('replay.longest_claim_ms_at_10m', pause.longestClaimMs);
  put('replay.longest_claim_net_of_gc_ms_at_10m', pause.longestWarmNetOfGcMs);
  put('replay.spin_longest_claim_net_of_gc_ms_at_10m', spin.longestWarmNetOfGcMs);
  put('replay.gateway_drive_non200', drives.reduce((n, d) => n + d.other + (driveCount - d.requests), 0), 0);
  put('replay.redis_bytes_per_nonce', redisRows[0]?.bytesPerNonce ?? null, 1);
  put('replay.redis_listpack_1024_bytes_per_nonce', redisRows[1]?.bytesPerNonce ?? null, 1);
  put('replay.redis_floor_bytes_per_nonce', redisRows[3]?.bytesPerNonce ?? null, 1);
  put('replay.redis_cpu_us_per_claim', redisRows[0]?.redisCpuUsPerClaim ?? null, 1);
  put('replay.redis_floor_cpu_us_per_claim', redisRows[3]?.redisCpuUsPerClaim ?? null, 1);
  targets.push(
    target(`memory replay store, RSS bytes per live nonce at ${int(pauseCount)}`, 'replay.memory_store_rss_bytes_per_nonce_at_10m', ratios['replay.memory_store_rss_bytes_per_nonce_at_10m']!, '<= 24', (v) => v <= 24),
    target('memory replay store claim cost vs 0.1 store', 'replay.memory_store_claim_cost_vs_0_1', ratios['replay.memory_store_claim_cost_vs_0_1']!, '<= 1.0', (v) => v <= 1),
    target(`longest claim up to ${int(pauseCount)} live nonces (ms)`, 'replay.longest_claim_ms_at_10m', ratios['replay.longest_claim_ms_at_10m']!, '<= 1', (v) => v <= 1),
    target(`the same from ${int(pause.pauseFrom)} on, net of GC (ms)`, 'replay.longest_claim_net_of_gc_ms_at_10m', ratios['replay.longest_claim_net_of_gc_ms_at_10m']!, '<= 1', (v) => v <= 1),
    target(`demo gateways, ${int(driveCount)} fresh salts each: answers other than 200`, 'replay.gateway_drive_non200', ratios['replay.gateway_drive_non200']!, '0', (v) => v === 0),
    target('Redis bytes per live nonce', 'replay.redis_bytes_per_nonce', ratios['replay.redis_bytes_per_nonce'] ?? null, '<= 80', (v) => v <= 80),
  );
}

if (only.has('linger')) {
  const settings = [
    { label: 'default (4 MiB, 2 s)', key: 'default', env: {} },
    { label: 'lingerBytes 1 MiB', key: '1mib', env: { KEYGATE_LINGER_BYTES: '1mb' } },
    { label: 'lingerBytes 16 MiB', key: '16mib', env: { KEYGATE_LINGER_BYTES: '16mb' } },
  ];
  const rows = await runLinger(settings, { requests: quick ? 10 : 20, concurrency: 10, log });
  sections.push(
    'Oversized uploads: server cost per request of a 413 (1 MiB limit) by client and lingerBytes, against accepting a 1 MiB',
    'request; MiB read off the network by the server; hold = from the client having its 413 to the connection closing',
    table(
      ['bounds', 'client', 'CPU ms', 'vs accepted', 'MiB read', 'hold ms', 'unexpected'],
      rows.map((r) => {
        const anchor = rows.find((a) => a.bounds === r.bounds && a.client.startsWith('accepted'))!;
        return [r.bounds, r.client, fixed(r.cpuMs, 1), ratio(r.cpuMs / anchor.cpuMs), fixed(r.readMiB, 1), r.holdMs === undefined ? '' : fixed(r.holdMs, 0), int(r.unexpected)];
      }),
    ),
    '',
  );
  for (const setting of settings) {
    const of = (prefix: string) => rows.find((r) => r.bounds === setting.label && r.client.startsWith(prefix))!;
    const anchor = of('accepted');
    put(`linger.${setting.key}.never_stops_chunked_cpu_vs_accepted`, of('never stops, chunked').cpuMs / anchor.cpuMs);
    put(`linger.${setting.key}.never_stops_chunked_read_mib`, of('never stops, chunked').readMiB, 1);
    put(`linger.${setting.key}.node_client_cpu_vs_accepted`, of('Node http').cpuMs / anchor.cpuMs);
  }
  const unexpected = rows.reduce((n, r) => n + r.unexpected, 0);
  if (unexpected > 0) sections.push(`WARNING: ${unexpected} oversized uploads did not read their 413`, '');
}

stopAllChildren();
const seconds = Math.round((Date.now() - started) / 1000);
sections.push(
  `Targets (DESIGN section 7)`,
  table(
    ['figure', 'value', 'target', 'holds'],
    targets.map((t) => [t.figure, t.value === null ? 'pending' : fixed(t.value, 3), t.rule, t.holds === null ? 'pending' : t.holds ? 'yes' : 'NO']),
  ),
  '',
  `Machine: ${host.cores} x ${host.cpu}, Node ${host.node}; ${seconds} s${quick ? ' (--quick: fewer, shorter rounds)' : ''}`,
);
console.log(sections.join('\n'));
console.log(JSON.stringify({ ...ratios, missed: targets.filter((t) => t.holds === false).map((t) => t.key) }));
