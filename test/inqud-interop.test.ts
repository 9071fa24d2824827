// The vendor's own Python examples (requests) against every running demo gateway.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import test from 'ava';
import { PYTHON } from './helpers/tools.js';
import { demo } from './helpers/demo-credentials.js';
import { FRAMEWORKS, useGateways } from './helpers/gateways.js';

const run = promisify(execFile);
const gateway = useGateways();

const { tokenId, secret } = demo.inqud[0]!;

for (const framework of FRAMEWORKS) {
  test(`${framework}: the vendor's Python POST and GET examples are accepted; tampering, wrong secrets, reused salts and unknown tokens are 401`, async (t) => {
    const { stdout } = await run(PYTHON, [new URL('./interop/inqud_client.py', import.meta.url).pathname, gateway(framework).url, tokenId, secret]);
    const results = JSON.parse(stdout) as Record<string, [number, string]>;
    const [postStatus, postBody] = results['post']!;
    t.is(postStatus, 200, postBody);
    const echo = JSON.parse(postBody);
    t.is(echo.principal, tokenId);
    t.is(echo.path, '/inqud/v1/user/payments/payout');
    t.is(echo.body.cardNumber, '5555555555554444');
    t.is(results['get']![0], 200, results['get']![1]);
    t.is(JSON.parse(results['get']![1]).body, null);
    t.is(results['simple_get']![0], 200);
    for (const refused of ['post_tampered', 'post_wrong_secret', 'post_reused_salt', 'post_unknown_token', 'simple_wrong_secret']) {
      const [status, body] = results[refused]!;
      t.is(status, 401, refused);
      t.notThrows(() => JSON.parse(body), `${refused} answers JSON`);
      t.false(body.includes(secret), `${refused} leaks no secret`);
    }
    t.is(JSON.parse(results['post_reused_salt']![1]).code, 'replayed');
    t.is(JSON.parse(results['post_unknown_token']![1]).code, 'unknown_key');
    t.false(gateway(framework).output().includes(secret), 'no secret in the gateway log');
  });
}
