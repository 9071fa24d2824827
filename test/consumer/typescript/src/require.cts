// The same packages from a CommonJS TypeScript file: under module nodenext, TypeScript >= 5.8 compiles these imports
// to require() of the ESM packages, which Node >= 20.19 runs (require(esm)).
import { keygate } from '@keygate/koa';
import { lenme } from '@keygate/lenme';
import type { Middleware } from 'koa';

export const middleware: Middleware = keygate(lenme({ secrets: new Map([['K', { secrets: ['s'] }]]) }));
