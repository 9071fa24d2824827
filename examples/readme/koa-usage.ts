import Koa from 'koa';
import { keygate } from '@keygate/koa';
import { inqud } from '@keygate/inqud';

const secrets = new Map([['TKN-6c1296b8-6929-443b-ac06-f732e0e27be1', { secrets: [process.env['INQUD_SECRET']!] }]]);

export const app = new Koa();
app.use(keygate(inqud({ secrets })));
app.use((ctx) => {
  ctx.body = { token: ctx.state['keygate'].principal, amount: (ctx.request.body as { amount: number }).amount };
});
