import Koa from 'koa';
import { keygate, keygateEndpoint } from '@keygate/koa';
import { kiiex } from '@keygate/kiiex';

const secrets = new Map([[process.env['KIIEX_API_KEY']!, { secrets: [process.env['KIIEX_SECRET']!], userId: 42, userName: 'alice' }]]);
const { authenticateUser, logOut, session } = kiiex({ secrets, sessionKey: process.env['KEYGATE_SESSION_KEY']! });
const endpoints = new Map([['/ap/AuthenticateUser', keygateEndpoint(authenticateUser)], ['/ap/LogOut', keygateEndpoint(logOut)]]);

export const app = new Koa();
app.use((ctx, next) => {
  const endpoint = ctx.method === 'POST' ? endpoints.get(ctx.path) : undefined;
  return endpoint ? endpoint(ctx, next) : next();
});
app.use(keygate(session));
app.use((ctx) => {
  ctx.body = { apiKey: ctx.state['keygate'].principal };
});
