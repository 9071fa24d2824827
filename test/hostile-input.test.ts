// Hostile input against every demo gateway and every scheme: each case gets its 4xx, a body with no secret, no
// expected signature and no stack trace, and the gateway keeps serving the next valid request. Afterwards, every line
// the gateways logged meanwhile is scanned for the secrets, signatures, salts and tokens in play: none appears.
import test, { type ExecutionContext } from 'ava';
import { demo } from './helpers/demo-credentials.js';
import { FRAMEWORKS, useGateways, type GatewayProcess } from './helpers/gateways.js';
import { send, sendRaw, type Reply } from './helpers/http.js';
import { SCHEME_CLIENTS, TEST_SESSION_KEY, lenmeClient, type SchemeClient, type ValidRequest } from './helpers/scheme-clients.js';

const gateway = useGateways({ KEYGATE_SESSION_KEY: TEST_SESSION_KEY });

/** Every credential value the clients send or sign with: none may ever show up in a log line. */
const inPlay = new Set<string>([
  TEST_SESSION_KEY,
  ...demo.inqud.map((c) => c.secret),
  ...demo.valiant.flatMap((c) => [c.secret, c.key]),
  ...demo.kiiex.map((c) => c.secret),
  ...demo.lenme.map((c) => c.secret),
]);

/** The same client, noting the signature (or token) and salt of every request it makes. */
function recording(client: SchemeClient): SchemeClient {
  return {
    ...client,
    async valid(baseUrl, body) {
      const request = await client.valid(baseUrl, body);
      for (const name of [client.signatureHeader, 'X-Salt']) {
        const value = request.headers[name];
        if (value !== undefined) inPlay.add(value);
      }
      return request;
    },
  };
}

/** Resolved as each hostile test ends, so the log scan runs once they all have. */
const finished: Promise<void>[] = [];
function tracked(title: string, run: (t: ExecutionContext) => Promise<void>): void {
  let done!: () => void;
  finished.push(new Promise((resolve) => (done = resolve)));
  test(title, async (t) => {
    try {
      await run(t);
    } finally {
      done();
    }
  });
}

interface HostileCase {
  readonly name: string;
  /** Exact status, or a predicate for cases Node itself may answer (431, 400). */
  readonly expect: number | ((status: number) => boolean);
  /** What a request of this case looks like; `raw` cases go over a bare socket. */
  build(client: SchemeClient, url: string): Promise<{ request: ValidRequest; chunked?: boolean; expected?: string } | { raw: Buffer; after?: 'end' | 'destroy' }>;
}

const is4xx = (status: number) => status >= 400 && status < 500;
const MiB = 1024 * 1024;

function without(headers: Record<string, string>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== name.toLowerCase()));
}

function withHeader(request: ValidRequest, name: string, value: string): ValidRequest {
  return { ...request, headers: { ...without(request.headers, name), [name]: value } };
}

function rawRequest(request: ValidRequest, override: Record<string, Buffer | string> = {}, bodyOverride?: string, declared?: number): Buffer {
  const body = bodyOverride ?? request.body ?? '';
  const lines = Object.entries({ ...request.headers, ...override }).map(([k, v]) => Buffer.concat([Buffer.from(`${k}: `), Buffer.from(v as string, 'latin1'), Buffer.from('\r\n')]));
  return Buffer.concat([
    Buffer.from(`${request.method} ${request.path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n`),
    ...lines,
    Buffer.from(`Content-Length: ${declared ?? Buffer.byteLength(body)}\r\n\r\n${body}`),
  ]);
}

function mutateSignature(client: SchemeClient, value: string, how: 'short' | 'alphabet' | 'space' | 'case'): string {
  switch (how) {
    case 'short':
      return value.slice(0, -4);
    case 'alphabet':
      return `${value.slice(0, -2)}${client.signatureEncoding === 'hex' ? 'zz' : '-_'}`;
    case 'space':
      return `${value.slice(0, 10)} ${value.slice(11)}`;
    case 'case':
      return [...value].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
  }
}

const headerCases: HostileCase[] = [
  { name: 'no auth headers', expect: 401, build: async (c, url) => { const r = await c.valid(url); return { request: { ...r, headers: c.authHeaders.reduce(without, r.headers) } }; } },
  ...[0, 1, 2].flatMap((i): HostileCase[] => [
    { name: `auth header #${i} missing`, expect: 401, build: async (c, url) => { const r = await c.valid(url); const h = c.authHeaders[i] ?? c.authHeaders[0]!; return { request: { ...r, headers: without(r.headers, h) } }; } },
    { name: `auth header #${i} empty`, expect: 401, build: async (c, url) => ({ request: withHeader(await c.valid(url), c.authHeaders[i] ?? c.authHeaders[0]!, '') }) },
    { name: `auth header #${i} 600 characters`, expect: 401, build: async (c, url) => ({ request: withHeader(await c.valid(url), c.authHeaders[i] ?? c.authHeaders[0]!, 'a'.repeat(600)) }) },
    { name: `auth header #${i} 64 KiB`, expect: is4xx, build: async (c, url) => ({ raw: rawRequest(await c.valid(url), { [c.authHeaders[i] ?? c.authHeaders[0]!]: 'a'.repeat(64 * 1024) }) }) },
    {
      name: `auth header #${i} duplicated`,
      expect: 401,
      build: async (c, url) => {
        const r = await c.valid(url);
        const name = c.authHeaders[i] ?? c.authHeaders[0]!;
        const value = Object.entries(r.headers).find(([k]) => k === name)?.[1] ?? 'x';
        return { raw: Buffer.concat([rawRequest(r).subarray(0, rawRequest(r).indexOf('\r\n') + 2), Buffer.from(`${name}: ${value}\r\n`), rawRequest(r).subarray(rawRequest(r).indexOf('\r\n') + 2)]) };
      },
    },
    { name: `auth header #${i} non-ASCII`, expect: is4xx, build: async (c, url) => ({ raw: rawRequest(await c.valid(url), { [c.authHeaders[i] ?? c.authHeaders[0]!]: Buffer.from([0x63, 0x61, 0x66, 0xe9]) }) }) },
  ]),
  ...(['short', 'alphabet', 'space'] as const).map((how): HostileCase => ({
    name: `signature ${how}`,
    expect: 401,
    build: async (c, url) => {
      const r = await c.valid(url);
      return { request: withHeader(r, c.signatureHeader, mutateSignature(c, r.headers[c.signatureHeader]!, how)), expected: r.headers[c.signatureHeader]! };
    },
  })),
  {
    name: 'signature with its letter case flipped (same value in hex, another value in base64)',
    expect: 0,
    build: async (c, url) => {
      const r = await c.valid(url);
      return { request: withHeader(r, c.signatureHeader, mutateSignature(c, r.headers[c.signatureHeader]!, 'case')), expected: r.headers[c.signatureHeader]! };
    },
  },
];

const bodyCases: HostileCase[] = [
  { name: 'body over 1 MiB with Content-Length', expect: 413, build: async (c, url) => ({ request: await c.valid(url, JSON.stringify({ pad: 'a'.repeat(MiB) })) }) },
  { name: 'body over 1 MiB chunked', expect: 413, build: async (c, url) => ({ request: await c.valid(url, JSON.stringify({ pad: 'a'.repeat(MiB) })), chunked: true }) },
  { name: 'client closes mid-body', expect: () => true, build: async (c, url) => { const r = await c.valid(url); return { raw: rawRequest(r, {}, r.body?.slice(0, 5), 1000), after: 'destroy' }; } },
  { name: 'declared length larger than sent, then end of stream', expect: is4xx, build: async (c, url) => { const r = await c.valid(url); return { raw: rawRequest(r, {}, r.body?.slice(0, 5), 1000), after: 'end' }; } },
  { name: 'Content-Encoding: gzip', expect: 415, build: async (c, url) => { const r = await c.valid(url); return { request: { ...r, headers: { ...r.headers, 'Content-Encoding': 'gzip' } } }; } },
  { name: 'JSON nested 100 000 deep', expect: 400, build: async (c, url) => ({ request: await c.valid(url, '['.repeat(100_000) + ']'.repeat(100_000)) }) },
  { name: 'JSON array of 300 000 numbers (under the limit)', expect: 200, build: async (c, url) => ({ request: await c.valid(url, `[${'0,'.repeat(300_000)}0]`) }) },
];

const timestampCases: HostileCase[] = (
  [
    ['a float', (ts: number) => `${ts}.0`],
    ['exponent notation', (ts: number) => (ts / 1e9).toString() + 'e9'],
    ['milliseconds', (ts: number) => String(ts * 1000)],
    ['negative', (ts: number) => String(-ts)],
    ['plus sign', (ts: number) => `+${ts}`],
    ['huge', () => '9'.repeat(40)],
    ['leading zeros', (ts: number) => `00${ts}`],
    ['a space inside', (ts: number) => `${String(ts).slice(0, 4)} ${String(ts).slice(4)}`],
    ['hex', (ts: number) => `0x${ts.toString(16)}`],
    ['six minutes old', (ts: number) => String(ts - 360)],
    ['six minutes ahead', (ts: number) => String(ts + 360)],
  ] as const
).map(([name, make]): HostileCase => ({
  name: `X-Timestamp ${name}`,
  expect: 401,
  build: async (c, url) => {
    const r = await c.valid(url);
    return { request: withHeader(r, 'X-Timestamp', make(Math.floor(Date.now() / 1000))) };
  },
}));

async function run(client: SchemeClient, gateway: GatewayProcess, built: Awaited<ReturnType<HostileCase['build']>>): Promise<{ status: number; body: string }> {
  if ('raw' in built) {
    const answer = await sendRaw(gateway.url, built.raw, built.after);
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
    return { status, body: answer.slice(answer.indexOf('\r\n\r\n') + 4) };
  }
  const { request, chunked = false } = built;
  const reply: Reply = await send(gateway.url + request.path, { method: request.method, headers: request.headers, ...(request.body !== undefined ? { body: request.body } : {}), chunked });
  void client;
  return reply;
}

async function check(t: ExecutionContext, client: SchemeClient, gateway: GatewayProcess, cases: readonly HostileCase[]): Promise<void> {
  for (const hostile of cases) {
    const built = await hostile.build(client, gateway.url);
    const { status, body } = await run(client, gateway, built);
    const label = `${gateway.framework} ${client.name}: ${hostile.name} -> ${status} ${body.slice(0, 120)}`;
    if (hostile.expect === 0) {
      // Hex is case-insensitive (AlphaPoint upper-cases it), so a flipped case is the same signature; base64 is not.
      t.is(status, client.signatureEncoding === 'hex' ? 200 : 401, label);
    } else if (typeof hostile.expect === 'number') t.is(status, hostile.expect, label);
    else t.true(hostile.expect(status), label);
    for (const secret of client.secrets) t.false(body.includes(secret), `${label}: secret in body`);
    if ('request' in built && built.expected !== undefined) t.false(body.toLowerCase().includes(built.expected.toLowerCase()) && status !== 200, `${label}: expected signature in body`);
    t.false(/\bat [^\n]+:\d+:\d+|Error: /.test(body), `${label}: stack trace in body`);
    const next = await client.valid(gateway.url);
    const after = await send(gateway.url + next.path, { method: next.method, headers: next.headers, ...(next.body !== undefined ? { body: next.body } : {}) });
    t.is(after.status, 200, `${label}: still serving (${after.body.slice(0, 100)})`);
  }
}

for (const framework of FRAMEWORKS) {
  for (const client of SCHEME_CLIENTS.map(recording)) {
    tracked(`${framework} ${client.name}: hostile headers and signatures`, async (t) => {
      await check(t, client, gateway(framework), headerCases);
    });
    tracked(`${framework} ${client.name}: hostile bodies`, async (t) => {
      await check(t, client, gateway(framework), bodyCases);
    });
  }
  tracked(`${framework} lenme: hostile timestamps`, async (t) => {
    await check(t, recording(lenmeClient), gateway(framework), timestampCases);
  });
}

test('no line the gateways logged during the hostile tests holds a secret, signature, salt or token; each request line is complete', async (t) => {
  await Promise.all(finished);
  // Stopped first: a gateway flushes its buffered log lines before it exits.
  await Promise.all(FRAMEWORKS.map((f) => gateway(f).stop()));
  // Hex signatures are case-insensitive and the hostile table flips their case: compare case-folded. A signature cut
  // short by the table must not show either, so its first 24 characters count too.
  const needles = [...inPlay].flatMap((value) => [value, value.slice(0, 24)]).map((n) => n.toLowerCase());
  for (const framework of FRAMEWORKS) {
    const lines = gateway(framework).output().split('\n').filter((line) => line.trim() !== '');
    const requests = lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => 'outcome' in l);
    t.true(requests.length > 100, `${framework}: ${requests.length} request lines`);
    for (const scheme of ['inqud', 'valiant', 'lenme', 'kiiex']) {
      for (const outcome of ['accepted', 'rejected']) {
        t.true(requests.some((r) => r['scheme'] === scheme && r['outcome'] === outcome), `${framework}: a ${scheme} ${outcome} line`);
      }
    }
    for (const line of requests) {
      t.deepEqual(Object.keys(line).filter((k) => ['reqId', 'method', 'path', 'scheme', 'outcome', 'code', 'status', 'latencyMs'].includes(k)).length, 8, JSON.stringify(line));
    }
    for (const line of lines) {
      const folded = line.toLowerCase();
      const leaked = needles.find((needle) => folded.includes(needle));
      if (leaked !== undefined) t.fail(`${framework} logged a credential: ${line.slice(0, 200)}`);
    }
  }
  t.true(inPlay.size > 50, `${inPlay.size} values in play`);
});
