// How a well-behaved client of each scheme calls the demo gateways, so hostile cases can start from a valid request.
import { signInqud } from '@keygate/inqud';
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
  /** A fresh valid request (fresh salt or nonce where the scheme needs one). */
  valid(body?: string): Promise<ValidRequest>;
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
  valid: async (body = '{"amount": 50}') => ({
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
  valid: async (body = '{"data": {"type": "loans"}}') => ({
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
  valid: async (body = '{"loan": 1}') => ({
    method: 'POST',
    path: '/lenme/v1/loans/fund',
    headers: { ...signLenme({ apiKey: lenmeCredential.apiKey, secret: lenmeCredential.secret }), 'Content-Type': 'application/json' },
    body,
  }),
};

export const SCHEME_CLIENTS: readonly SchemeClient[] = [inqudClient, valiantClient, lenmeClient];
