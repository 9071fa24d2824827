// Shared by the consumer apps (copied into each project): the secret stores they configure, and the requests each
// app sends to itself, signed with the installed packages' signers (passed in, so each app loads them its own way).
'use strict';
const credentials = require('./credentials.json');

/** The secret stores, as a user would build them from their own configuration. */
function secretStores() {
  const { inqud, valiant, lenme, kiiex } = credentials;
  return {
    inqud: new Map([[inqud.tokenId, { secrets: [inqud.secret] }]]),
    valiant: new Map([[valiant.id, { key: valiant.key, secrets: [valiant.secret] }]]),
    lenme: new Map([[lenme.apiKey, { secrets: [lenme.secret] }]]),
    kiiex: new Map([[kiiex.apiKey, { secrets: [kiiex.secret], userId: kiiex.userId }]]),
  };
}

/** Sends a correctly and a badly signed request per scheme to `base`; resolves with `{ case: { status, body } }`. */
async function probe(base, sign) {
  const { inqud, valiant, lenme, kiiex } = credentials;
  const report = {};
  const send = async (name, path, init) => {
    const reply = await fetch(`${base}${path}`, init);
    report[name] = { status: reply.status, body: await reply.text() };
    return report[name];
  };
  const json = { 'content-type': 'application/json' };

  const body = JSON.stringify({ amount: 50 });
  const signed = { ...sign.inqud({ tokenId: inqud.tokenId, secret: inqud.secret, body }), ...json };
  await send('inqud', '/inqud/pay', { method: 'POST', body, headers: signed });
  await send('inqud replayed', '/inqud/pay', { method: 'POST', body, headers: signed });
  const forged = { ...sign.inqud({ tokenId: inqud.tokenId, secret: `${inqud.secret}x`, body }), ...json };
  await send('inqud bad signature', '/inqud/pay', { method: 'POST', body, headers: forged });

  await send('valiant', '/valiant/ping', { headers: sign.valiant(valiant) });
  await send('valiant bad signature', '/valiant/ping', { headers: sign.valiant({ ...valiant, secret: `${valiant.secret}x` }) });

  const loan = JSON.stringify({ loan_id: 7 });
  await send('lenme', '/lenme/fund', { method: 'POST', body: loan, headers: { ...sign.lenme(lenme), ...json } });
  await send('lenme bad signature', '/lenme/fund', { method: 'POST', body: loan, headers: { ...sign.lenme({ ...lenme, secret: `${lenme.secret}x` }), ...json } });

  const login = await send('kiiex AuthenticateUser', '/kiiex/AuthenticateUser', { method: 'POST', headers: { ...sign.kiiex(kiiex) } });
  await send('kiiex bad signature', '/kiiex/AuthenticateUser', { method: 'POST', headers: { ...sign.kiiex({ ...kiiex, secret: `${kiiex.secret}x` }) } });
  const token = JSON.parse(login.body).sessionToken ?? '';
  // One character changed at the start of the signature: still canonical base64url, so it fails on the HMAC alone.
  const cut = token.lastIndexOf('.') + 1;
  const tampered = `${token.slice(0, cut)}${token[cut] === 'A' ? 'B' : 'A'}${token.slice(cut + 1)}`;
  await send('kiiex aptoken', '/kiiex/GetUserInfo', { method: 'POST', headers: { aptoken: token } });
  await send('kiiex bad aptoken', '/kiiex/GetUserInfo', { method: 'POST', headers: { aptoken: tampered } });
  return report;
}

module.exports = { credentials, secretStores, probe };
