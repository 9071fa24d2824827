// Store faults fail closed with 503 on every adapter and every scheme; the server keeps serving. Then a burst of
// concurrent valid and invalid requests against every gateway process: every valid one passes, every invalid fails.
import test from 'ava';
import type { NonceStore, RevocationStore, Scheme } from '@keygate/core';
import { inqud, signInqud } from '@keygate/inqud';
import { kiiex, signKiiex } from '@keygate/kiiex';
import { lenme, signLenme } from '@keygate/lenme';
import { signValiant, valiant } from '@keygate/valiant';
import { FRAMEWORKS, startGateways, type GatewayProcess } from './helpers/gateways.js';
import { send } from './helpers/http.js';
import { SCHEME_CLIENTS, TEST_SESSION_KEY } from './helpers/scheme-clients.js';
import { serve, type ServeOptions } from './helpers/servers.js';

const LEAK = 'password=hunter2';
type SecretsFault = 'throws' | 'rejects' | 'hangs';
const faultySecrets = (fault: SecretsFault) => () => {
  if (fault === 'throws') throw new Error(`secret store down, ${LEAK}`);
  if (fault === 'rejects') return Promise.reject(new Error(`secret store down, ${LEAK}`));
  return new Promise<never>(() => {});
};
const faultyNonces: NonceStore = { claim: () => Promise.reject(new Error(`nonce store down, ${LEAK}`)) };
const faultyRevocations: RevocationStore = {
  revoke: () => Promise.reject(new Error(LEAK)),
  isRevoked: () => Promise.reject(new Error(`revocation store down, ${LEAK}`)),
};
const storeTimeoutMs = 50;

interface FaultCase {
  readonly name: string;
  readonly scheme: Scheme<unknown>;
  readonly options?: ServeOptions;
  readonly request: () => { path?: string; headers: Record<string, string>; body?: string };
}

const session = kiiex({ secrets: new Map([['k', { secrets: ['s'], userId: 1 }]]), sessionKey: TEST_SESSION_KEY, revocations: faultyRevocations });

function faultCases(): FaultCase[] {
  const cases: FaultCase[] = [];
  for (const fault of ['throws', 'rejects', 'hangs'] as const) {
    const secrets = faultySecrets(fault);
    cases.push(
      { name: `inqud, secret store ${fault}`, scheme: inqud({ secrets, storeTimeoutMs }), request: () => ({ headers: signInqud({ tokenId: 'TKN-1', secret: 's', body: '' }) }) },
      { name: `valiant, secret store ${fault}`, scheme: valiant({ secrets, storeTimeoutMs }), request: () => ({ headers: signValiant({ id: '5f0c7b2e-1d6a-4a8e-9c3b-2f4d6e8a0b1c', key: 'k', secret: 's' }) }) },
      { name: `lenme, secret store ${fault}`, scheme: lenme({ secrets, storeTimeoutMs }), request: () => ({ headers: signLenme({ apiKey: 'k', secret: 's' }) }) },
      {
        name: `kiiex AuthenticateUser, secret store ${fault}`,
        scheme: session.session,
        options: { endpoint: kiiex({ secrets, sessionKey: TEST_SESSION_KEY, storeTimeoutMs }).authenticateUser },
        request: () => ({ path: '/endpoint', headers: { ...signKiiex({ apiKey: 'k', secret: 's', userId: 1 }) } }),
      },
    );
  }
  const secrets = new Map([['TKN-1', { secrets: ['s'] }], ['k', { secrets: ['s'] }]]);
  const kiiexSecrets = new Map([['k', { secrets: ['s'], userId: 1 }]]);
  cases.push(
    { name: 'inqud, nonce store errors', scheme: inqud({ secrets, nonces: faultyNonces }), request: () => ({ headers: signInqud({ tokenId: 'TKN-1', secret: 's', body: '' }) }) },
    { name: 'lenme singleUse, nonce store errors', scheme: lenme({ secrets, nonces: faultyNonces, singleUse: true }), request: () => ({ headers: signLenme({ apiKey: 'k', secret: 's' }) }) },
    {
      name: 'kiiex AuthenticateUser, nonce store errors',
      scheme: session.session,
      options: { endpoint: kiiex({ secrets: kiiexSecrets, sessionKey: TEST_SESSION_KEY, nonces: faultyNonces }).authenticateUser },
      request: () => ({ path: '/endpoint', headers: { ...signKiiex({ apiKey: 'k', secret: 's', userId: 1 }) } }),
    },
  );
  return cases;
}

for (const framework of FRAMEWORKS) {
  test(`${framework}: every store fault fails closed with 503 and the server keeps serving`, async (t) => {
    for (const fault of faultCases()) {
      const server = await serve(framework, fault.scheme, fault.options ?? {});
      try {
        const { path = '/', headers, body } = fault.request();
        const reply = await send(server.url + path, { method: 'POST', headers, ...(body !== undefined ? { body } : {}) });
        t.is(reply.status, 503, `${fault.name}: ${reply.body}`);
        t.false(reply.body.includes(LEAK), `${fault.name}: store error leaked`);
        t.false(/\bat [^\n]+:\d+:\d+/.test(reply.body), `${fault.name}: stack trace`);
        const again = await send(server.url + path, { method: 'POST', headers });
        t.is(again.status, 503, `${fault.name}: still answering`);
      } finally {
        await server.close();
      }
    }
  });

  test(`${framework}: a revocation store that errors refuses aptoken requests with 503`, async (t) => {
    const server = await serve(framework, session.session, { endpoint: session.authenticateUser });
    try {
      const login = await send(`${server.url}/endpoint`, { method: 'POST', headers: { ...signKiiex({ apiKey: 'k', secret: 's', userId: 1 }) } });
      const token = login.json<{ sessionToken: string }>().sessionToken;
      t.truthy(token);
      const reply = await send(`${server.url}/x`, { headers: { aptoken: token } });
      t.is(reply.status, 503);
      t.false(reply.body.includes(LEAK));
    } finally {
      await server.close();
    }
  });
}

test.serial('200 concurrent valid requests all pass while 200 invalid ones all fail, spread over every gateway', async (t) => {
  const gateways: GatewayProcess[] = await startGateways({ KEYGATE_SESSION_KEY: TEST_SESSION_KEY });
  try {
    const jobs: Promise<[boolean, number, string]>[] = [];
    for (let i = 0; i < 200; i++) {
      const gateway = gateways[i % gateways.length]!;
      const client = SCHEME_CLIENTS[i % SCHEME_CLIENTS.length]!;
      const valid = await client.valid(gateway.url, JSON.stringify({ i }));
      const invalid = { ...valid, headers: { ...valid.headers, [client.signatureHeader]: `${valid.headers[client.signatureHeader]!.slice(0, -2)}AA` } };
      for (const [ok, request] of [[true, valid], [false, invalid]] as const) {
        jobs.push(
          send(gateway.url + request.path, { method: request.method, headers: request.headers, ...(request.body !== undefined ? { body: request.body } : {}) }).then(
            (reply) => [ok, reply.status, `${gateway.framework} ${client.name}`],
          ),
        );
      }
    }
    const results = await Promise.all(jobs);
    const wrong = results.filter(([ok, status]) => (ok ? status !== 200 : status !== 401));
    t.deepEqual(wrong, []);
    t.is(results.length, 400);
  } finally {
    await Promise.all(gateways.map((g) => g.stop()));
  }
});
