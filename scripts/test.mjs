#!/usr/bin/env node
// Runs the whole suite: makes sure a real redis-server is available (the Redis tests start their own on a free port),
// runs ava, and ends with the plain line `N passed, M failed` that CI reads.
import { spawn, spawnSync } from 'node:child_process';

function hasRedisServer() {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

function installRedisServer() {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!root || !apt) return false;
  console.log('redis-server not found: installing it from Debian packages (apt-get install redis-server)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  return spawnSync('apt-get', ['install', '-y', '-qq', 'redis-server'], { stdio: 'inherit', env }).status === 0;
}

if (!hasRedisServer() && !installRedisServer()) {
  console.error('redis-server is required by the Redis tests: install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) and run again.');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const args = process.argv.slice(2);
const child = spawn(process.execPath, [new URL('../node_modules/ava/entrypoints/cli.mjs', import.meta.url).pathname, ...args], {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' },
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
