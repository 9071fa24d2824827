import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { DEMO_CREDENTIALS_PATH, loadCredentials } from '@keygate/gateway-config';

const { tokenId, secret } = loadCredentials(DEMO_CREDENTIALS_PATH).inqud[0]!;

/**
 * The least an Inqud HMAC check can do, written inline as a hand-rolled server would: one token, its secret in hand,
 * createHmac + timingSafeEqual over the raw body and X-Salt. No replay store, no header validation, no error shape.
 * The calibration rows of the HTTP figures: what any HMAC verifier costs on top of a bare server.
 */
export function minimalInqudCheck(headers: IncomingHttpHeaders, raw: Uint8Array): boolean {
  const signature = headers['x-hmac-sha256-signature'];
  const salt = headers['x-salt'];
  if (headers['x-token-api-id'] !== tokenId || typeof signature !== 'string' || typeof salt !== 'string') return false;
  const provided = Buffer.from(signature, 'hex');
  const expected = createHmac('sha256', secret).update(raw).update(salt).digest();
  return provided.length === expected.length && timingSafeEqual(provided, expected);
}
