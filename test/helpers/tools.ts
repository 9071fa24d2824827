import { execFileSync } from 'node:child_process';

/** The Python the interop tests run: one that imports requests (found by scripts/test.mjs), else `python3`. */
export const PYTHON = process.env['KEYGATE_TEST_PYTHON'] ?? 'python3';

/** Whether PYTHON's requests sends a chunked body through urllib3 (2.32 and later), which reads an early answer. */
export function requestsReadsEarlyAnswers(): boolean {
  const [major = 0, minor = 0] = execFileSync(PYTHON, ['-c', 'import requests; print(requests.__version__)'], { encoding: 'utf8' }).trim().split('.').map(Number);
  return major > 2 || (major === 2 && minor >= 32);
}
