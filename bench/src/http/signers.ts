import { randomBytes } from 'node:crypto';
import { loadCredentials, DEMO_CREDENTIALS_PATH } from '@keygate/gateway-config';
import { signInqud } from '@keygate/inqud';
import { signValiant } from '@keygate/valiant';
import { generate } from 'hmac-auth-express';
import type { RequestMaker } from './load.js';

/** The demo gateways' bundled credentials: the bench starts them exactly as `pnpm demo` does. */
export const demoCredentials = loadCredentials(DEMO_CREDENTIALS_PATH);
const inqudToken = demoCredentials.inqud[0]!;

/** The path every HTTP figure posts to: an authenticated echo route on the gateways. */
export const INQUD_PATH = '/inqud/v1/payouts';

const JSON_TYPE = { 'content-type': 'application/json' } as const;

/** Inqud HMAC: a fresh random salt and its signature per request, as the vendor's client sends them. */
export function inqudSigned(body: Buffer): RequestMaker {
  return () => ({ headers: { ...JSON_TYPE, ...signInqud({ tokenId: inqudToken.tokenId, secret: inqudToken.secret, body }) }, body });
}

/** The same request without X-Salt: refused on its headers, before the body is read. */
export function inqudMissingSalt(body: Buffer): RequestMaker {
  const signed = inqudSigned(body);
  return (index) => {
    const { 'X-Salt': _salt, ...headers } = signed(index).headers as Record<string, string>;
    return { headers, body };
  };
}

export const HMAC_AUTH_SECRET = randomBytes(32).toString('hex');

/**
 * hmac-auth-express: `Authorization: HMAC <unix ms>:<hex HMAC(secret, time + method + path + md5(JSON body))>`,
 * made with the package's own `generate`. Its replay defence is the 5-minute window; the time is taken when signed.
 */
export function hmacAuthSigned(body: Buffer, path: string): RequestMaker {
  const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  return () => {
    const time = Date.now().toString();
    const digest = generate(HMAC_AUTH_SECRET, 'sha256', time, 'POST', path, parsed).digest('hex');
    return { headers: { ...JSON_TYPE, authorization: `HMAC ${time}:${digest}` }, body };
  };
}

const valiantClient = demoCredentials.valiant[0];

/** Whether the demo credentials hold a Valiant client (the gateways serve `/valiant`). */
export const hasValiantCredentials = valiantClient !== undefined;

export const VALIANT_PATH = '/valiant/api/v1/payments';

/** Valiant: X-AUTH-ID + X-AUTH-SIGNED-KEY + JSON:API content type; static, the same on every request. */
export function valiantSigned(body: Buffer, secret = valiantClient!.secret): RequestMaker {
  const headers = signValiant({ id: valiantClient!.id, key: valiantClient!.key, secret });
  return () => ({ headers, body });
}

/** A well-formed signed key made with the wrong secret: refused on the headers alone. */
export function valiantBadKey(body: Buffer): RequestMaker {
  return valiantSigned(body, 'not-the-secret');
}
