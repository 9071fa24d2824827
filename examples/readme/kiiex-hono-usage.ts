import { Hono } from 'hono';
import { keygate, keygateEndpoint, type KeygateEnv } from '@keygate/fetch/hono';
import { kiiex } from '@keygate/kiiex';

const secrets = new Map([[process.env['KIIEX_API_KEY']!, { secrets: [process.env['KIIEX_SECRET']!], userId: 42, userName: 'alice' }]]);
const { authenticateUser, logOut, session } = kiiex({ secrets, sessionKey: process.env['KEYGATE_SESSION_KEY']! });

export const app = new Hono<KeygateEnv>();
app.post('/ap/AuthenticateUser', keygateEndpoint(authenticateUser));
app.post('/ap/LogOut', keygateEndpoint(logOut));
app.use('/ap/*', keygate(session));
app.post('/ap/GetUserInfo', (c) => c.json({ apiKey: c.var.keygate.principal }));
