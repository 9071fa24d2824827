// What the test suite needs beyond Node, and how to get each from Debian's packages when it is missing.
import { spawnSync } from 'node:child_process';

import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const works = (command, args) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;

/**
 * requests before 2.32 sends a chunked body itself and gives up on a broken pipe without reading the answer the server
 * already sent, so it reads an early 413 only when the server takes in the whole body; from 2.32 urllib3 sends it and
 * reads that answer after a broken pipe too.
 */
const REQUESTS_AT_LEAST = [2, 32];

function requestsVersion(python) {
  const result = spawnSync(python, ['-c', 'import requests; print(requests.__version__)'], { encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  return result.stdout.trim().split('.').map(Number);
}

const recentEnough = (version) => version[0] > REQUESTS_AT_LEAST[0] || (version[0] === REQUESTS_AT_LEAST[0] && version[1] >= REQUESTS_AT_LEAST[1]);

/**
 * The Python the interop tests run: KEYGATE_TEST_PYTHON when set, else the first `python3` on PATH, in PATH order,
 * whose requests is 2.32 or later, else the first whose requests imports at all (Debian 12 ships 2.28: the tests then
 * give its chunked uploads the room it needs, see test/oversized-uploads.test.ts). Every python3 on PATH is tried, not
 * only the first: `npx` puts node's own directory (often /usr/bin, with the distribution's older requests) ahead of
 * the user's PATH. Undefined when there is none.
 */
export function pythonWithRequests() {
  if (process.env.KEYGATE_TEST_PYTHON) return process.env.KEYGATE_TEST_PYTHON;
  const candidates = [...new Set([...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'python3')), '/usr/bin/python3'])]
    .filter((python) => existsSync(python))
    .map((python) => ({ python, version: requestsVersion(python) }))
    .filter((c) => c.version !== undefined);
  return (candidates.find((c) => recentEnough(c.version)) ?? candidates[0])?.python;
}

export const PREREQUISITES = [
  { what: 'redis-server', ok: () => works('redis-server', ['--version']), debian: ['redis-server'] },
  { what: 'redis-cli (builds the test Redis Cluster)', ok: () => works('redis-cli', ['--version']), debian: ['redis-tools'] },
  { what: 'python3 with requests', ok: () => pythonWithRequests() !== undefined, debian: ['python3-requests'] },
  { what: 'java 17+', ok: () => works('java', ['--version']), debian: ['openjdk-17-jdk-headless'] },
  { what: 'curl', ok: () => works('curl', ['--version']), debian: ['curl'] },
  { what: 'openssl', ok: () => works('openssl', ['version']), debian: ['openssl'] },
];

/** Installs missing prerequisites with apt-get when running as root on Debian; returns what is still missing. */
export function ensurePrerequisites(log = console.log) {
  let missing = PREREQUISITES.filter((p) => !p.ok());
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (missing.length > 0 && root && works('apt-get', ['--version'])) {
    const packages = missing.flatMap((p) => p.debian);
    log(`installing test prerequisites from Debian packages: apt-get install ${packages.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    spawnSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env });
    missing = PREREQUISITES.filter((p) => !p.ok());
  }
  return missing;
}
