import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { lenme, signLenme } from '@keygate/lenme';
import { request, schemeCheck, type BenchRequest, type MicroCase } from './case.js';

const API_KEY = randomBytes(16).toString('hex');
const SECRET = randomBytes(32).toString('base64url');

function signed(apiKey: string, secret: string): BenchRequest {
  return request('GET', '/lenme/v1/loans', signLenme({ apiKey, secret }), new Uint8Array(0));
}

/**
 * Lenme, default (vendor) mode: X-HMAC = hex HMAC-SHA256(secret, "<X-Timestamp>:<secret>") within ±300 s; reuse
 * inside the window is allowed, so no replay store. (Its opt-in single-use mode allows one HMAC per second per key,
 * too few distinct requests for a timed round.)
 */
export const lenmeCase: MicroCase = {
  name: 'lenme',
  coversBody: false,
  create: schemeCheck(() => lenme({ secrets: new Map([[API_KEY, { secrets: [SECRET] }]]) })),
  verify: {
    valid: () => signed(API_KEY, SECRET),
    minimal: (req) => {
      const provided = Buffer.from(req.headers['x-hmac']!, 'hex');
      const expected = createHmac('sha256', SECRET).update(`${req.headers['x-timestamp']!}:${SECRET}`).digest();
      return provided.length === expected.length && timingSafeEqual(provided, expected);
    },
  },
  timing: {
    unknownId: () => signed(randomBytes(16).toString('hex'), SECRET),
    badSignature: () => signed(API_KEY, randomBytes(32).toString('base64url')),
  },
};
