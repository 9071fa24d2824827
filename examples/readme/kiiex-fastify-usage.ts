import Fastify from 'fastify';
import { keygate, keygateEndpoint } from '@keygate/fastify';
import { kiiex } from '@keygate/kiiex';

const secrets = new Map([[process.env['KIIEX_API_KEY']!, { secrets: [process.env['KIIEX_SECRET']!], userId: 42, userName: 'alice' }]]);
const { authenticateUser, logOut, session } = kiiex({ secrets, sessionKey: process.env['KEYGATE_SESSION_KEY']! });

export const app = Fastify();
app.post('/ap/AuthenticateUser', keygateEndpoint(authenticateUser));
app.post('/ap/LogOut', keygateEndpoint(logOut));
app.register(async (ap) => {
  await ap.register(keygate, { scheme: session });
  ap.post('/GetUserInfo', async (request) => ({ apiKey: request.keygate?.principal }));
}, { prefix: '/ap' });
