import express from 'express';
import { keygate, keygateEndpoint } from '@keygate/express';
import { kiiex } from '@keygate/kiiex';

const secrets = new Map([[process.env['KIIEX_API_KEY']!, { secrets: [process.env['KIIEX_SECRET']!], userId: 42, userName: 'alice' }]]);
const { authenticateUser, logOut, session } = kiiex({ secrets, sessionKey: process.env['KEYGATE_SESSION_KEY']! });

export const app = express();
app.post('/ap/AuthenticateUser', keygateEndpoint(authenticateUser));
app.post('/ap/LogOut', keygateEndpoint(logOut));
app.use('/ap', keygate(session));
app.post('/ap/GetUserInfo', (req, res) => res.json({ apiKey: req.keygate?.principal }));
