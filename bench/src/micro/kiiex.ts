import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { kiiex, signKiiex, type KiiexCredential } from '@keygate/kiiex';
import { toSignedRequest, request, type BenchRequest, type MicroCase } from './case.js';

const API_KEY = randomBytes(16).toString('hex');
const SECRET = randomBytes(32).toString('base64url');
const SESSION_KEY = randomBytes(32);
const USER_ID = 42;
const secrets = new Map<string, KiiexCredential>([[API_KEY, { secrets: [SECRET], userId: USER_ID, userName: 'bench' }]]);
const make = () => kiiex({ secrets, sessionKey: SESSION_KEY });

function authenticateUser(apiKey: string, secret: string): BenchRequest {
  return request('POST', '/kiiex/AuthenticateUser', { ...signKiiex({ apiKey, secret, userId: USER_ID }) }, new Uint8Array(0));
}

const tokens: string[] = [];

/**
 * Kiiex session token (`aptoken`, HS256 JWT via jose, then the revocation store). Its minimal verifier is what an
 * HS256 check cannot do without: createHmac over `header.payload`, timingSafeEqual against the decoded signature,
 * and reading `exp` from the payload.
 */
export const kiiexSession: MicroCase = {
  name: 'kiiex-aptoken',
  coversBody: false,
  setup: async () => {
    const { authenticateUser: endpoint } = make();
    for (let i = 0; i < 16; i++) {
      const reply = await endpoint.handle(toSignedRequest(authenticateUser(API_KEY, SECRET)));
      tokens.push((JSON.parse(String(reply.body)) as { sessionToken: string }).sessionToken);
    }
  },
  create: () => {
    const { session } = make();
    return (req) => session.verify(req);
  },
  verify: {
    valid: (_body, index) => request('GET', '/kiiex/GetAccountInfo', { aptoken: tokens[index % tokens.length]! }, new Uint8Array(0)),
    minimal: (req) => {
      const token = req.headers['aptoken']!;
      const dot = token.lastIndexOf('.');
      const provided = Buffer.from(token.slice(dot + 1), 'base64url');
      const expected = createHmac('sha256', SESSION_KEY).update(token.slice(0, dot)).digest();
      if (provided.length !== expected.length || !timingSafeEqual(provided, expected)) return false;
      const payload = JSON.parse(Buffer.from(token.slice(token.indexOf('.') + 1, dot), 'base64url').toString()) as { exp: number };
      return payload.exp * 1000 > Date.now();
    },
  },
};

/**
 * Kiiex AuthenticateUser: only its timing pair (an unknown APIKey vs a wrong Signature, both refused before a
 * token is issued). Its success path issues a JWT, which no minimal verifier does, so it has no verify row.
 */
export const kiiexAuthenticateUser: MicroCase = {
  name: 'kiiex-authenticate',
  coversBody: false,
  create: () => {
    const { authenticateUser: endpoint } = make();
    return (req) => endpoint.handle(req);
  },
  timing: {
    unknownId: () => authenticateUser(randomBytes(16).toString('hex'), SECRET),
    badSignature: () => authenticateUser(API_KEY, randomBytes(32).toString('base64url')),
  },
};
