// An unknown key id, a known id with a bad signature and the right secret outside its rotation window all do the same
// work: one HMAC each, counted through the injected crypto seam rather than timed (timers are noise on shared machines).
import test from 'ava';
import { fakeSignedRequest, hmacSha256, type Credential, type Hmac, type SignedRequest } from '@keygate/core';
import { inqud, signInqud } from '@keygate/inqud';
import { kiiex, signKiiex } from '@keygate/kiiex';
import { lenme, signLenme } from '@keygate/lenme';
import { signValiant, valiant } from '@keygate/valiant';

const known = 'known-key';
const uuid = '5f0c7b2e-1d6a-4a8e-9c3b-2f4d6e8a0b1c';
const otherUuid = '00000000-1d6a-4a8e-9c3b-2f4d6e8a0b1c';
const secret = 'the-real-secret';
const NOW = Date.parse('2026-06-01T12:00:00Z');
const now = (): number => NOW;

/**
 * How a request fails (or not): a wrong signature for a known id, an unknown id, or the real secret used outside
 * its `notBefore` / `notAfter` window (`expired`, `early`); `inWindow` signs with the real secret inside its window.
 */
type Kind = 'badSignature' | 'unknown' | 'expired' | 'early' | 'inWindow';

/** The known id's secrets, and the secret the client signs with, for each kind. */
function setup(kind: Kind): { secrets: Credential['secrets']; signWith: string } {
  switch (kind) {
    case 'badSignature':
    case 'unknown':
      return { secrets: [secret], signWith: 'wrong' };
    case 'expired':
      return { secrets: [{ secret, notAfter: NOW - 1 }], signWith: secret };
    case 'early':
      return { secrets: [{ secret, notBefore: NOW + 1 }], signWith: secret };
    case 'inWindow':
      return { secrets: [{ secret, notBefore: NOW - 1000, notAfter: NOW + 1000 }], signWith: secret };
  }
}

interface Subject {
  readonly name: string;
  /** Runs one request of this kind through the scheme with the counting HMAC; returns how it ended. */
  run(hmac: Hmac, kind: Kind): Promise<string>;
}

async function failureCode(work: Promise<unknown>): Promise<string> {
  return work.then(
    (value) => `accepted ${JSON.stringify(value).slice(0, 80)}`,
    (error: { code?: string }) => error.code ?? String(error),
  );
}

function verifyWith(scheme: { verify(req: SignedRequest): Promise<unknown> }, req: SignedRequest) {
  return failureCode(scheme.verify(req));
}

const subjects: Subject[] = [
  {
    name: 'inqud',
    run: (hmac, kind) => {
      const { secrets, signWith } = setup(kind);
      const headers = signInqud({ tokenId: kind === 'unknown' ? 'TKN-nobody' : 'TKN-known', secret: signWith, body: '{}' });
      return verifyWith(inqud({ secrets: new Map([['TKN-known', { secrets }]]), hmac, now }), fakeSignedRequest(headers, '{}'));
    },
  },
  {
    name: 'valiant',
    run: (hmac, kind) => {
      const { secrets, signWith } = setup(kind);
      const headers = signValiant({ id: kind === 'unknown' ? otherUuid : uuid, key: 'key', secret: signWith });
      const request = fakeSignedRequest({ ...headers, 'content-type': 'application/vnd.api+json' });
      return verifyWith(valiant({ secrets: new Map([[uuid, { key: 'key', secrets }]]), hmac, now }), request);
    },
  },
  {
    name: 'lenme',
    run: (hmac, kind) => {
      const { secrets, signWith } = setup(kind);
      const headers = signLenme({ apiKey: kind === 'unknown' ? 'nobody' : known, secret: signWith, now });
      return verifyWith(lenme({ secrets: new Map([[known, { secrets }]]), hmac, now }), fakeSignedRequest(headers));
    },
  },
  {
    name: 'kiiex AuthenticateUser',
    run: async (hmac, kind) => {
      const { secrets, signWith } = setup(kind);
      const { authenticateUser } = kiiex({ secrets: new Map([[known, { secrets, userId: 7 }]]), sessionKey: 'k'.repeat(32), hmac, now });
      const fields = signKiiex({ apiKey: kind === 'unknown' ? 'nobody' : known, secret: signWith, userId: 7 });
      const reply = await authenticateUser.handle(fakeSignedRequest({ ...fields })).catch((error) => authenticateUser.reject(error));
      const body = JSON.parse(String(reply.body)) as { authenticated: boolean; errormsg: string };
      return body.authenticated ? 'accepted' : `refused: ${body.errormsg}`;
    },
  },
];

async function counted(subject: Subject, kind: Kind): Promise<{ outcome: string; hmacs: number }> {
  let hmacs = 0;
  const counting: Hmac = (key, parts) => {
    hmacs += 1;
    return hmacSha256(key, parts);
  };
  return { outcome: await subject.run(counting, kind), hmacs };
}

for (const subject of subjects) {
  test(`${subject.name}: unknown key id and bad signature each cost exactly one HMAC`, async (t) => {
    const bad = await counted(subject, 'badSignature');
    const unknown = await counted(subject, 'unknown');
    t.false(bad.outcome.startsWith('accepted'), bad.outcome);
    t.false(unknown.outcome.startsWith('accepted'), unknown.outcome);
    t.deepEqual({ badSignature: bad.hmacs, unknown: unknown.hmacs }, { badSignature: 1, unknown: 1 });
  });

  test(`${subject.name}: the right secret outside its window costs the same HMACs and gets the same reply as a wrong one`, async (t) => {
    const bad = await counted(subject, 'badSignature');
    for (const kind of ['expired', 'early'] as const) {
      t.deepEqual(await counted(subject, kind), bad, kind);
    }
    const inWindow = await counted(subject, 'inWindow');
    t.true(inWindow.outcome.startsWith('accepted'), inWindow.outcome);
    t.is(inWindow.hmacs, 1);
  });
}
