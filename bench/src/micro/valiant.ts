import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { signValiant, valiant } from '@keygate/valiant';
import { request, schemeCheck, type BenchRequest, type MicroCase } from './case.js';

const ID = randomUUID();
const KEY = randomBytes(16).toString('hex');
const SECRET = randomBytes(32).toString('base64url');

function signed(id: string, secret: string): BenchRequest {
  return request('GET', '/valiant/api/v1/authenticate', signValiant({ id, key: KEY, secret }), new Uint8Array(0));
}

/** Valiant: X-AUTH-SIGNED-KEY = base64 HMAC-SHA256(secret, key), a static credential; no body, no replay store. */
export const valiantCase: MicroCase = {
  name: 'valiant',
  coversBody: false,
  create: schemeCheck(() => valiant({ secrets: new Map([[ID, { key: KEY, secrets: [SECRET] }]]) })),
  verify: {
    valid: () => signed(ID, SECRET),
    minimal: (req) => {
      const provided = Buffer.from(req.headers['x-auth-signed-key']!, 'base64');
      const expected = createHmac('sha256', SECRET).update(KEY).digest();
      return provided.length === expected.length && timingSafeEqual(provided, expected);
    },
  },
  timing: {
    unknownId: () => signed(randomUUID(), SECRET),
    badSignature: () => signed(ID, randomBytes(32).toString('base64url')),
  },
};
