// The soak's traffic: one weighted mix of valid, badly signed, replayed, oversized, truncated and malformed requests,
// each with the one status a demo gateway must answer it with. Clients are the tests' own (test/helpers), so the
// soak sends exactly what the tests check.
import { Agent } from 'node:http';
import { signInqud } from '@keygate/inqud';
import { signKiiex } from '@keygate/kiiex';
import { signLenme } from '@keygate/lenme';
import { signValiant } from '@keygate/valiant';
import { sendRaw } from '../../../test/helpers/http.js';
import { sendOnce, type WireRequest } from '../../../test/helpers/steady-load.js';
import { nodeUpload } from '../../../test/helpers/uploads.js';
import { demoCredentials } from '../http/signers.js';

/** How one request ended, from the client's side. */
export type Answer = { readonly status: number; readonly body: string } | { readonly error: string };

export interface Kind {
  readonly name: string;
  /** Out of the sum of all weights. */
  readonly weight: number;
  readonly expected: number;
  send(target: Target): Promise<Answer>;
}

/** One gateway under soak, with its connections and the state its valid requests need. */
export interface Target {
  readonly url: string;
  readonly agent: Agent;
  /** A session token from AuthenticateUser, taken at the start. */
  aptoken: string;
  /** Recently accepted Inqud requests, replayed by the `replayed` kind. */
  readonly accepted: WireRequest[];
}

const MiB = 1024 * 1024;
const inqudToken = demoCredentials.inqud[0]!;
const valiantClient = demoCredentials.valiant[0]!;
const kiiexKey = demoCredentials.kiiex[0]!;
const lenmeKey = demoCredentials.lenme[0]!;
const json = { 'content-type': 'application/json' } as const;
const payload = (): string => JSON.stringify({ amount: Math.floor(Math.random() * 1000), pad: 'x'.repeat(900) });

function inqudPost(secret = inqudToken.secret): WireRequest {
  const body = payload();
  return { method: 'POST', path: '/inqud/v1/payouts', headers: { ...signInqud({ tokenId: inqudToken.tokenId, secret, body }), ...json }, body };
}

async function http(target: Target, wire: WireRequest): Promise<Answer> {
  const outcome = await sendOnce(target.url, wire, target.agent);
  return outcome.kind === 'complete' ? { status: outcome.status, body: outcome.body } : { error: `${outcome.kind} ${outcome.error}` };
}

/** A raw exchange; the status is read from the first status line answered (0 when the connection closed silently). */
async function raw(target: Target, bytes: string): Promise<Answer> {
  const answer = await sendRaw(target.url, bytes, 'end');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
  return status === 0 ? { error: 'closed without an answer' } : { status, body: answer.slice(answer.indexOf('\r\n\r\n') + 4) };
}

/** Oversized bodies, signed once each (a 413 never claims the salt): 2 and 8 MiB, Content-Length and chunked. */
const oversized = [2, 8].flatMap((size) => {
  const body = Buffer.alloc(size * MiB, 0x61);
  const headers = { ...signInqud({ tokenId: inqudToken.tokenId, secret: inqudToken.secret, body }), ...json };
  return [false, true].map((chunked) => ({ body, headers, chunked }));
});
let oversizedNext = 0;
const uploadAgent = new Agent({ keepAlive: true, timeout: 2000 });

export const KINDS: readonly Kind[] = [
  {
    name: 'valid inqud', weight: 25, expected: 200,
    async send(target) {
      const wire = inqudPost();
      const answer = await http(target, wire);
      if ('status' in answer && answer.status === 200) {
        target.accepted.push(wire);
        if (target.accepted.length > 100) target.accepted.shift();
      }
      return answer;
    },
  },
  { name: 'valid lenme', weight: 8, expected: 200, send: (t) => http(t, { method: 'POST', path: '/lenme/v1/loans/fund', headers: { ...signLenme(lenmeKey), ...json }, body: payload() }) },
  { name: 'valid valiant', weight: 8, expected: 200, send: (t) => http(t, { method: 'POST', path: '/valiant/api/v1/loans', headers: signValiant(valiantClient), body: payload() }) },
  { name: 'valid kiiex session', weight: 8, expected: 200, send: (t) => http(t, { method: 'POST', path: '/kiiex/SendOrder', headers: { aptoken: t.aptoken, ...json }, body: payload() }) },
  {
    name: 'kiiex AuthenticateUser', weight: 3, expected: 200,
    async send(target) {
      const answer = await http(target, { method: 'POST', path: '/kiiex/AuthenticateUser', headers: { ...signKiiex(kiiexKey) } });
      // Failures are 200 too, in APEX's style: only a session counts.
      return 'status' in answer && !answer.body.includes('"authenticated":true') ? { error: `refused: ${answer.body.slice(0, 80)}` } : answer;
    },
  },
  { name: 'badly signed', weight: 15, expected: 401, send: (t) => http(t, inqudPost('not-the-secret')) },
  {
    name: 'replayed', weight: 10, expected: 401,
    send: (t) => http(t, t.accepted[Math.floor(Math.random() * t.accepted.length)] ?? inqudPost('no-accepted-request-yet')),
  },
  {
    name: 'oversized', weight: 3, expected: 413,
    async send(target) {
      const { body, headers, chunked } = oversized[oversizedNext++ % oversized.length]!;
      const result = await nodeUpload({ url: `${target.url}/inqud/v1/payouts`, headers, body, file: '', chunked }, uploadAgent);
      return result;
    },
  },
  {
    name: 'truncated', weight: 5, expected: 400,
    send: (t) => {
      const { headers } = inqudPost();
      const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      return raw(t, `POST /inqud/v1/payouts HTTP/1.1\r\nHost: x\r\n${lines}Content-Length: 1000\r\n\r\n{"amount": 1`);
    },
  },
  { name: 'malformed JSON', weight: 8, expected: 400, send: (t) => http(t, { method: 'POST', path: '/lenme/v1/loans/fund', headers: { ...signLenme(lenmeKey), ...json }, body: '{"amount": ' }) },
  { name: 'malformed request line', weight: 7, expected: 400, send: (t) => raw(t, 'GARBAGE / HTTP/9.9\r\n\r\n') },
];

/** Logs in once per gateway, as the vendor flow does; the token lasts 24 h. */
export async function sessionToken(url: string, agent: Agent): Promise<string> {
  const outcome = await sendOnce(url, { method: 'POST', path: '/kiiex/AuthenticateUser', headers: { ...signKiiex(kiiexKey) } }, agent);
  const token = outcome.kind === 'complete' ? (JSON.parse(outcome.body) as { sessionToken?: string }).sessionToken : undefined;
  if (token === undefined) throw new Error(`AuthenticateUser failed at ${url}: ${JSON.stringify(outcome)}`);
  return token;
}

/** The kinds in a fixed, interleaved order of weight-many slots, so every second sees the same mix. */
export function schedule(kinds: readonly Kind[]): Kind[] {
  const total = kinds.reduce((n, k) => n + k.weight, 0);
  const slots: Kind[] = [];
  const credit = kinds.map(() => 0);
  for (let i = 0; i < total; i++) {
    kinds.forEach((k, j) => (credit[j]! += k.weight));
    const pick = credit.indexOf(Math.max(...credit));
    credit[pick]! -= total;
    slots.push(kinds[pick]!);
  }
  return slots;
}
