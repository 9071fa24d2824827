// What the test suite needs beyond Node, and how to get each from Debian's packages when it is missing.
import { spawnSync } from 'node:child_process';

const works = (command, args) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;

/** The first Python 3 that can import requests (the vendor's Inqud and Lenme clients use it), or undefined. */
export function pythonWithRequests() {
  return ['python3', '/usr/bin/python3'].find((python) => works(python, ['-c', 'import requests']));
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
