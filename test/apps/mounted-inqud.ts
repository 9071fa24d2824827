// An application that mounts keygate itself (the library API, not a demo gateway) on Express or Koa, run as its own
// process so that clients and server race as they do in production. Environment: KEYGATE_TEST_FRAMEWORK,
// KEYGATE_TEST_TOKEN_ID, KEYGATE_TEST_SECRET, and optionally KEYGATE_TEST_LINGER_MS and KEYGATE_TEST_LINGER_BYTES.
import { inqud } from '@keygate/inqud';
import type { Framework } from '../helpers/gateways.js';
import { serve } from '../helpers/servers.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const lingerMs = process.env['KEYGATE_TEST_LINGER_MS'];
const lingerBytes = process.env['KEYGATE_TEST_LINGER_BYTES'];
const scheme = inqud({ secrets: new Map([[env('KEYGATE_TEST_TOKEN_ID'), { secrets: [env('KEYGATE_TEST_SECRET')] }]]) });
const server = await serve(env('KEYGATE_TEST_FRAMEWORK') as Framework, scheme, {
  ...(lingerMs === undefined ? {} : { lingerMs: Number(lingerMs) }),
  ...(lingerBytes === undefined ? {} : { lingerBytes: Number(lingerBytes) }),
});
console.log(`listening on ${server.url}`);
