// The frameworks list on its own, without ava: the apps the tests run as their own processes import it too.

export type Framework = 'express' | 'koa' | 'fastify' | 'hono';
/** Every adapter and its demo gateway: each test of the table runs against all of them. */
export const FRAMEWORKS: readonly Framework[] = ['express', 'koa', 'fastify', 'hono'];
