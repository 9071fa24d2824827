// Issue 15: every client reads its 413. Oversized uploads (2, 8 and 64 MiB; Content-Length and chunked) from Node's
// http client, curl and Python requests, 20 times each, against keygate mounted on Express and on Koa as an
// application mounts it: each upload must come back as the complete 413 (status and whole JSON body), never a reset.
// The application runs in its own process: in the test's own process client and server would share one event loop
// and never race the way the reset needs.
import test from 'ava';
import { signInqud } from '@keygate/inqud';
import { FRAMEWORKS, startListening, type Framework, type ListeningProcess } from './helpers/gateways.js';
import { bodyFiles, UPLOAD_CLIENTS, uploads, type Upload, type UploadClient, type UploadResult } from './helpers/uploads.js';
import { requestsReadsEarlyAnswers } from './helpers/tools.js';

const MiB = 1024 * 1024;
const SIZES = [2, 8, 64] as const;
const REPEATS = 20;
const tokenId = 'TKN-11111111-2222-3333-4444-555555555555';
const secret = 'oversized-uploads-secret-0123456789abcdef';

const files = bodyFiles();
const apps = new Map<string, ListeningProcess>();

/**
 * The application for one framework, client and encoding. Node and curl read while they upload and run against the
 * default bounds. Python's requests writes its whole body before it reads anything, so past limit + lingerBytes + the
 * kernel buffers it waits until keygate closes the connection (lingerMs), then reads its answer: a short lingerMs
 * keeps the test short, and gives the client less time, not more. requests before 2.32 (Debian 12 ships 2.28) sends
 * a chunked body itself and gives up at a broken pipe without reading the answer already sent: it reads its 413 only
 * from a server that takes in the whole body, so its chunked uploads go to one configured as README's "Oversized
 * uploads" says such clients need (lingerBytes above the largest upload, and lingerMs long enough to receive it).
 */
function app(framework: Framework, client: UploadClient, chunked: boolean): ListeningProcess {
  const linger = client !== 'python' ? 'default' : chunked && !requestsReadsEarlyAnswers() ? 'whole body' : 'short';
  return apps.get(`${framework} ${linger}`)!;
}

const LINGER_ENV = {
  default: {},
  short: { KEYGATE_TEST_LINGER_MS: '200' },
  'whole body': { KEYGATE_TEST_LINGER_BYTES: String(80 * MiB), KEYGATE_TEST_LINGER_MS: '30000' },
} as const;

test.before(async () => {
  for (const framework of FRAMEWORKS) {
    for (const [linger, lingerEnv] of Object.entries(LINGER_ENV)) {
      const env = { KEYGATE_TEST_FRAMEWORK: framework, KEYGATE_TEST_TOKEN_ID: tokenId, KEYGATE_TEST_SECRET: secret, ...lingerEnv };
      apps.set(`${framework} ${linger}`, await startListening(`${framework} app`, 'test/apps/mounted-inqud.ts', env));
    }
  }
});
test.after.always(async () => {
  await Promise.all([...apps.values()].map((a) => a.stop()));
  files.remove();
});

// Signed once per size (the HMAC of 64 MiB takes a while); a 413 never claims the salt, so every repeat is the same
// correctly signed request.
const bodies = SIZES.map((size) => {
  const body = Buffer.alloc(size * MiB, 0x61);
  return { size, body, file: files.write(`${size}mib`, body), headers: { ...signInqud({ tokenId, secret, body }), 'content-type': 'application/json' } };
});

function describe(results: readonly UploadResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) {
    const key = 'error' in r ? `error ${r.error}` : `${r.status} ${r.body.slice(0, 60)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${n} x ${key}`).join('; ');
}

for (const framework of FRAMEWORKS) {
  for (const client of UPLOAD_CLIENTS) {
    test(`${framework}, ${client}: every oversized upload reads its complete 413, ${REPEATS} times per size and encoding`, async (t) => {
      for (const { size, body, file, headers } of bodies) {
        for (const chunked of [false, true]) {
          const upload: Upload = { url: `${app(framework, client, chunked).url}/payout`, headers, body, file, chunked };
          const results = await uploads(client, upload, REPEATS);
          const complete = results.filter((r) => 'status' in r && r.status === 413 && JSON.parse(r.body).code === 'body_too_large');
          t.is(complete.length, REPEATS, `${size} MiB ${chunked ? 'chunked' : 'with Content-Length'}: ${describe(results)}`);
        }
      }
    });
  }
}
