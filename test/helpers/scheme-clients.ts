// How a well-behaved client of each scheme calls the demo gateways, so hostile cases can start from a valid request.
import { signInqud } from '@keygate/inqud';
import { signKiiex } from '@keygate/kiiex';
import { signLenme } from '@keygate/lenme';
import { signValiant } from '@keygate/valiant';
import { demo } from './demo-credentials.js';

export interface ValidRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export interface SchemeClient {
  readonly name: string;
  /** Headers a client must send; each one is mutated by the hostile table. */
  readonly authHeaders: readonly string[];
  readonly signatureHeader: string;
  readonly signatureEncoding: 'hex' | 'base64' | 'jwt';
  /** Secrets that must never appear in a response. */
  readonly secrets: readonly string[];
  /** A fresh valid request (fresh salt or nonce where the scheme needs one) for the gateway at `baseUrl`. */
  valid(baseUrl: string, body?: string): Promise<ValidRequest>;
}

const inqudCredential = demo.inqud[0]!;
const valiantCredential = demo.valiant[0]!;
const lenmeCredential = demo.lenme[0]!;

export const inqudClient: SchemeClient = {
  name: 'inqud',
  authHeaders: ['X-Token-API-Id', 'X-HMAC-SHA256-Signature', 'X-Salt'],
  signatureHeader: 'X-HMAC-SHA256-Signature',
  signatureEncoding: 'hex',
  secrets: [inqudCredential.secret],
  valid: async (_baseUrl, body = '{"amount": 50}') => ({
    method: 'POST',
    path: '/inqud/v1/user/payments/payout',
    headers: { ...signInqud({ tokenId: inqudCredential.tokenId, secret: inqudCredential.secret, body }), 'Content-Type': 'application/json' },
    body,
  }),
};

export const valiantClient: SchemeClient = {
  name: 'valiant',
  authHeaders: ['X-AUTH-ID', 'X-AUTH-SIGNED-KEY'],
  signatureHeader: 'X-AUTH-SIGNED-KEY',
  signatureEncoding: 'base64',
  secrets: [valiantCredential.secret, valiantCredential.key],
  valid: async (_baseUrl, body = '{"data": {"type": "loans"}}') => ({
    method: 'POST',
    path: '/valiant/api/v1/loans',
    headers: signValiant({ id: valiantCredential.id, key: valiantCredential.key, secret: valiantCredential.secret }),
    body,
  }),
};

export const lenmeClient: SchemeClient = {
  name: 'lenme',
  authHeaders: ['X-API-KEY', 'X-Timestamp', 'X-HMAC'],
  signatureHeader: 'X-HMAC',
  signatureEncoding: 'hex',
  secrets: [lenmeCredential.secret],
  valid: async (_baseUrl, body = '{"loan": 1}') => ({
    method: 'POST',
    path: '/lenme/v1/loans/fund',
    headers: { ...signLenme({ apiKey: lenmeCredential.apiKey, secret: lenmeCredential.secret }), 'Content-Type': 'application/json' },
    body,
  }),
};

/** The session key the tests start gateways with, so a token is accepted by every gateway sharing it. */
export const TEST_SESSION_KEY = 'test-session-key-0123456789abcdef-0123456789';

const kiiexCredential = demo.kiiex[0]!;
const tokens = new Map<string, Promise<string>>();

/** AuthenticateUser once per gateway, as the vendor's flow does, then the token on every request. */
async function sessionToken(baseUrl: string): Promise<string> {
  let token = tokens.get(baseUrl);
  if (token === undefined) {
    const fields = signKiiex({ apiKey: kiiexCredential.apiKey, secret: kiiexCredential.secret, userId: kiiexCredential.userId });
    token = fetch(`${baseUrl}/kiiex/AuthenticateUser`, { method: 'POST', headers: { ...fields } })
      .then((r) => r.json() as Promise<{ sessionToken?: string }>)
      .then((r) => {
        if (r.sessionToken === undefined) throw new Error(`AuthenticateUser failed: ${JSON.stringify(r)}`);
        return r.sessionToken;
      });
    tokens.set(baseUrl, token);
  }
  return token;
}

export const kiiexClient: SchemeClient = {
  name: 'kiiex',
  authHeaders: ['aptoken'],
  signatureHeader: 'aptoken',
  signatureEncoding: 'jwt',
  secrets: [kiiexCredential.secret, TEST_SESSION_KEY],
  valid: async (baseUrl, body = '{"OMSId": 1}') => ({
    method: 'POST',
    path: '/kiiex/GetAccountInfo',
    headers: { aptoken: await sessionToken(baseUrl), 'Content-Type': 'application/json' },
    body,
  }),
};

export const SCHEME_CLIENTS: readonly SchemeClient[] = [inqudClient, valiantClient, lenmeClient, kiiexClient];
