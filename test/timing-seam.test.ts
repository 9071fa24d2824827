// An unknown key id and a known id with a bad signature do the same work: one HMAC each, counted through the
// injected crypto seam rather than timed (timers are noise on shared machines).
import test from 'ava';
import { fakeSignedRequest, hmacSha256, type Hmac, type SignedRequest } from '@keygate/core';
import { inqud, signInqud } from '@keygate/inqud';
import { kiiex, signKiiex } from '@keygate/kiiex';
import { lenme, signLenme } from '@keygate/lenme';
import { signValiant, valiant } from '@keygate/valiant';

const known = 'known-key';
const uuid = '5f0c7b2e-1d6a-4a8e-9c3b-2f4d6e8a0b1c';
const otherUuid = '00000000-1d6a-4a8e-9c3b-2f4d6e8a0b1c';
const secret = 'the-real-secret';

interface Subject {
  readonly name: string;
  /** Runs one rejected request through the scheme with the counting HMAC; returns how it failed. */
  run(hmac: Hmac, unknown: boolean): Promise<string>;
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
    run: (hmac, unknown) => {
      const headers = signInqud({ tokenId: unknown ? 'TKN-nobody' : 'TKN-known', secret: 'wrong', body: '{}' });
      return verifyWith(inqud({ secrets: new Map([['TKN-known', { secrets: [secret] }]]), hmac }), fakeSignedRequest(headers, '{}'));
    },
  },
  {
    name: 'valiant',
    run: (hmac, unknown) => {
      const headers = signValiant({ id: unknown ? otherUuid : uuid, key: 'key', secret: 'wrong' });
      return verifyWith(valiant({ secrets: new Map([[uuid, { key: 'key', secrets: [secret] }]]), hmac }), fakeSignedRequest(headers));
    },
  },
  {
    name: 'lenme',
    run: (hmac, unknown) => {
      const headers = signLenme({ apiKey: unknown ? 'nobody' : known, secret: 'wrong' });
      return verifyWith(lenme({ secrets: new Map([[known, { secrets: [secret] }]]), hmac }), fakeSignedRequest(headers));
    },
  },
  {
    name: 'kiiex AuthenticateUser',
    run: async (hmac, unknown) => {
      const { authenticateUser } = kiiex({ secrets: new Map([[known, { secrets: [secret], userId: 7 }]]), sessionKey: 'k'.repeat(32), hmac });
      const fields = signKiiex({ apiKey: unknown ? 'nobody' : known, secret: 'wrong', userId: 7 });
      const reply = await authenticateUser.handle(fakeSignedRequest({ ...fields })).catch((error) => authenticateUser.reject(error));
      const body = JSON.parse(String(reply.body)) as { authenticated: boolean; errormsg: string };
      return body.authenticated ? 'accepted' : `refused: ${body.errormsg}`;
    },
  },
];

for (const subject of subjects) {
  test(`${subject.name}: unknown key id and bad signature each cost exactly one HMAC`, async (t) => {
    const counts: Record<string, number> = {};
    for (const unknown of [false, true]) {
      let calls = 0;
      const counting: Hmac = (key, parts) => {
        calls += 1;
        return hmacSha256(key, parts);
      };
      const outcome = await subject.run(counting, unknown);
      t.false(outcome.startsWith('accepted'), outcome);
      counts[unknown ? 'unknown' : 'badSignature'] = calls;
    }
    t.deepEqual(counts, { badSignature: 1, unknown: 1 });
  });
}
