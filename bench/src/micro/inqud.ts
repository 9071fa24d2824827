import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { inqud, signInqud } from '@keygate/inqud';
import { request, schemeCheck, type BenchRequest, type MicroCase } from './case.js';

const TOKEN_ID = 'TKN-6c1296b8-6929-443b-ac06-f732e0e27be1';
const UNKNOWN_TOKEN_ID = 'TKN-00000000-0000-4000-8000-000000000000';
const SECRET = randomBytes(32).toString('base64url');
const WRONG_SECRET = randomBytes(32).toString('base64url');

function signed(body: Uint8Array, tokenId: string, secret: string): BenchRequest {
  const headers = signInqud({ tokenId, secret, body });
  if (body.byteLength === 0) return request('GET', '/inqud/v1/balance', headers, body);
  return request('POST', '/inqud/v1/payouts', { ...headers, 'content-type': 'application/json' }, body);
}

/** Inqud HMAC mode: hex HMAC-SHA256(secret, raw body + X-Salt), each salt claimed once in the memory store. */
export const inqudHmac: MicroCase = {
  name: 'inqud-hmac',
  coversBody: true,
  create: schemeCheck(() => inqud({ secrets: new Map([[TOKEN_ID, { secrets: [SECRET] }]]) })),
  verify: {
    valid: (body) => signed(body, TOKEN_ID, SECRET),
    minimal: (req) => {
      const provided = Buffer.from(req.headers['x-hmac-sha256-signature']!, 'hex');
      const expected = createHmac('sha256', SECRET).update(req.body).update(req.headers['x-salt']!).digest();
      return provided.length === expected.length && timingSafeEqual(provided, expected);
    },
  },
  timing: {
    unknownId: (body) => signed(body, UNKNOWN_TOKEN_ID, SECRET),
    badSignature: (body) => signed(body, TOKEN_ID, WRONG_SECRET),
  },
};

const DUMMY_SECRET = randomBytes(32).toString('hex');

/**
 * A reference, not keygate: Inqud's essential checks written inline in one async function (headers present, TKN-
 * prefix, 64-character signature, Map lookup with a dummy secret for unknown ids, HMAC, timingSafeEqual, a Map as
 * the replay store), without keygate's strict header validation, fail-closed store wrapper or error types. Its ratio
 * to the minimal verifier is the floor that replay protection and an async verify put under the target.
 */
export const inqudHmacInline: MicroCase = {
  name: 'inqud-hmac-inline',
  coversBody: true,
  reference: true,
  create: () => {
    const secrets = new Map([[TOKEN_ID, SECRET]]);
    const used = new Map<string, number>();
    return async (req) => {
      const tokenId = req.header('x-token-api-id');
      const signature = req.header('x-hmac-sha256-signature');
      const salt = req.header('x-salt');
      if (tokenId === undefined || !tokenId.startsWith('TKN-') || signature === undefined || salt === undefined) throw new Error('missing');
      const provided = Buffer.from(signature, 'hex');
      if (provided.length !== 32 || signature.length !== 64) throw new Error('malformed');
      const body = await req.body();
      const secret = secrets.get(tokenId);
      const expected = createHmac('sha256', secret ?? DUMMY_SECRET).update(body).update(salt).digest();
      if (!timingSafeEqual(expected, provided) || secret === undefined) throw new Error('bad signature');
      const key = `${tokenId}:${salt}`;
      if (used.has(key)) throw new Error('replayed');
      used.set(key, Date.now() + 86_400_000);
      return { principal: tokenId };
    };
  },
  verify: inqudHmac.verify!,
};
