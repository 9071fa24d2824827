// Shared by this package's unit tests only (excluded from the build).
import { createHmac } from 'node:crypto';
import type { ExecutionContext } from 'ava';
import {
  fakeSignedRequest, memoryNonceStore, memoryRevocationStore, type FakeSignedRequest, type HttpReply, type SignedRequest,
} from '@keygate/core';
import type { KiiexCredential } from './credential.js';
import { kiiex, type Kiiex } from './kiiex.js';
import type { KiiexOptions } from './options.js';

export const API_KEY = '7f3c9a1e5b2d4f60a8c1e3b5d7f9a2c4';
export const SECRET = 'kiiex-unit-secret-9d2e7b4a1c6f8e3d5b0a7c9e2f4d6b8a';
export const USER_ID = 42;
export const SESSION_KEY = 'unit-session-key-3a8f1c6e9b2d5f7a0c4e8b1d6f3a9c2e';
/** 2026-01-01T00:00:00Z, a fixed clock for every test. */
export const NOW = Date.UTC(2026, 0, 1);

export const CREDENTIAL: KiiexCredential = {
  secrets: [SECRET], userId: USER_ID, userName: 'alice', email: 'alice@example.com', emailVerified: true,
  accountId: 7, omsId: 1, use2FA: false,
};

/** A settable clock: tests move `clock.at` instead of patching Date. */
export function fixedClock(at = NOW): { at: number; now: () => number } {
  const clock = { at, now: () => clock.at };
  return clock;
}

export function setup(overrides: Partial<KiiexOptions> = {}, clock = fixedClock()): Kiiex & { clock: typeof clock } {
  const options: KiiexOptions = {
    secrets: new Map([[API_KEY, CREDENTIAL]]),
    sessionKey: SESSION_KEY,
    now: clock.now,
    nonces: memoryNonceStore({ now: clock.now }),
    revocations: memoryRevocationStore({ now: clock.now }),
    ...overrides,
  };
  return { ...kiiex(options), clock };
}

/** The signature the server expects, computed independently of the package's own signer. */
export function expectedSignature(nonce: string, userId: string | number, apiKey: string, secret = SECRET): string {
  return createHmac('sha256', secret).update(`${nonce}${userId}${apiKey}`).digest('hex');
}

export interface RequestInit {
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
}

/** A SignedRequest as the adapters build it (core's test double): lower-case header lookup, counted body reads. */
export function request(init: RequestInit = {}): FakeSignedRequest {
  return fakeSignedRequest({ ...init.headers }, init.body ?? '', init.method ?? 'POST', init.path ?? '/kiiex/AuthenticateUser');
}

export function jsonRequest(body: unknown, headers: Record<string, string> = {}): SignedRequest {
  return request({ headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

export function parse(reply: HttpReply): Record<string, unknown> {
  return JSON.parse(String(reply.body ?? '')) as Record<string, unknown>;
}

/** Asserts that no text shows the secret, a signature the server computed, the session key or a token. */
export function assertNoLeak(t: ExecutionContext, texts: readonly string[], forbidden: readonly string[]): void {
  const needles = [SECRET, SESSION_KEY, ...forbidden].filter((n) => n !== '');
  for (const text of texts) {
    for (const needle of needles) {
      t.false(text.includes(needle), `a failure text shows a forbidden value: ${text.slice(0, 120)}`);
      t.false(text.toLowerCase().includes(needle.toLowerCase()), 'a failure text shows a forbidden value (case-folded)');
    }
  }
}
