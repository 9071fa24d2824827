/** The Python the interop tests run: one that imports requests (found by scripts/test.mjs), else `python3`. */
export const PYTHON = process.env['KEYGATE_TEST_PYTHON'] ?? 'python3';
