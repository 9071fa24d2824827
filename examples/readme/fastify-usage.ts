import Fastify from 'fastify';
import { keygate } from '@keygate/fastify';
import { inqud } from '@keygate/inqud';

const secrets = new Map([['TKN-6c1296b8-6929-443b-ac06-f732e0e27be1', { secrets: [process.env['INQUD_SECRET']!] }]]);

export const app = Fastify();
app.register(async (scope) => {
  await scope.register(keygate, { scheme: inqud({ secrets }) });
  scope.post('/v1/user/payments/payout', async (request) => {
    return { token: request.keygate?.principal, amount: (request.body as { amount: number }).amount };
  });
}, { prefix: '/inqud' });
