import { fileURLToPath } from 'node:url';

/** The repository root (with a trailing slash): children run from here, like `pnpm demo`. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
