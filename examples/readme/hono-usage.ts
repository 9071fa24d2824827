import { Hono } from 'hono';
import { keygate, type KeygateEnv } from '@keygate/fetch/hono';
import { inqud } from '@keygate/inqud';

const secrets = new Map([['TKN-6c1296b8-6929-443b-ac06-f732e0e27be1', { secrets: [process.env['INQUD_SECRET']!] }]]);

export const app = new Hono<KeygateEnv>();
app.use('/inqud/*', keygate(inqud({ secrets })));
app.post('/inqud/v1/user/payments/payout', (c) => {
  const { principal, body } = c.var.keygate;
  return c.json({ token: principal, amount: (body as { amount: number }).amount });
});
