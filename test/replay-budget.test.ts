// The demo gateways size their memory replay store from KEYGATE_REPLAY_MAX_BYTES: past the budget they fail closed
// with 503, say so once at 80 % and once at 100 % in their log, and never forget a salt they accepted.
import test from 'ava';
import { signInqud } from '@keygate/inqud';
import { demo } from './helpers/demo-credentials.js';
import { FRAMEWORKS, useGateways } from './helpers/gateways.js';
import { send } from './helpers/http.js';

const { tokenId, secret } = demo.inqud[0]!;
const gateway = useGateways({ KEYGATE_REPLAY_MAX_BYTES: '1kb' });
const body = '{"amount": 1}';

const post = (url: string, salt: string) =>
  send(`${url}/inqud/v1/pay`, { method: 'POST', headers: { ...signInqud({ tokenId, secret, body, salt }), 'content-type': 'application/json' }, body });

for (const framework of FRAMEWORKS) {
  test(`${framework}: past its replay budget the gateway refuses with 503, warns at 80 % and 100 %, and forgets nothing`, async (t) => {
    const { url, output } = gateway(framework);
    const salts: string[] = [];
    let refused = await post(url, 'salt-0');
    while (refused.status === 200) {
      salts.push(`salt-${salts.length}`);
      refused = await post(url, `salt-${salts.length}`);
      if (salts.length > 1000) break;
    }
    t.true(salts.length >= 50 && salts.length <= 57, `accepted ${salts.length} salts in a 1 KiB budget`);
    t.is(refused.status, 503);
    t.is(refused.json()['code'], 'store_unavailable');
    for (const salt of salts.slice(0, 5)) t.is((await post(url, salt)).status, 401, 'an accepted salt is still refused');
    t.is((await send(`${url}/healthz`)).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const log = output();
    t.regex(log, /KEYGATE_NONCE_STORE_FILL.*80 % full/);
    t.regex(log, /KEYGATE_NONCE_STORE_FILL.*is full/);
    t.is(log.match(/KEYGATE_NONCE_STORE_FILL/g)?.length, 2, 'once each');
    t.false(log.includes('salt-') || log.includes(secret), 'no salt and no secret in the log');
  });
}
