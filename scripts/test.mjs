#!/usr/bin/env node
// Runs the whole suite: makes sure redis-server (the Redis tests start their own on a free port), Python requests, Java,
// curl and openssl are available,
// runs ava, and ends with the plain line `N passed, M failed` that CI reads.
import { spawn } from 'node:child_process';
import { ensurePrerequisites, pythonWithRequests } from './prerequisites.mjs';

const missing = ensurePrerequisites();
if (missing.length > 0) {
  console.error(`the tests need: ${missing.map((p) => p.what).join(', ')}. On Debian/Ubuntu: apt-get install ${missing.flatMap((p) => p.debian).join(' ')}; on macOS: brew install redis python openjdk; and for Python, pip install requests (or python3-requests).`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const args = process.argv.slice(2);
const child = spawn(process.execPath, [new URL('../node_modules/ava/entrypoints/cli.mjs', import.meta.url).pathname, ...args], {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0', KEYGATE_TEST_PYTHON: pythonWithRequests() },
});
let output = '';
for (const [stream, sink] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
  stream.on('data', (chunk) => {
    output += chunk;
    sink.write(chunk);
  });
}
child.on('close', (code) => {
  const count = (pattern) => [...output.matchAll(pattern)].reduce((sum, m) => sum + Number(m[1]), 0);
  // ava prints a summary count of passes only when nothing failed, so count the ✔ lines themselves.
  const passed = [...output.matchAll(/^\s*✔ /gm)].length;
  let failed = count(/^\s*(\d+) tests? failed/gm) + count(/^\s*(\d+) uncaught exceptions?/gm) + count(/^\s*(\d+) unhandled rejections?/gm);
  failed += count(/^\s*(\d+) tests? remained pending/gm) + count(/^\s*(\d+) tests? timed out/gm);
  if (code !== 0 && failed === 0) failed = 1;
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code === 0 && failed === 0 && passed > 0 ? 0 : 1);
});
