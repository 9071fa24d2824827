// A Kiiex (AlphaPoint APEX) client in Node, written the way the vendor's "Authenticate with API Key" document walks
// through it: HMAC-SHA256 keyed with the API secret over Nonce + UserId + APIKey (hex), sent to AuthenticateUser as
// headers or as a JSON body, then the sessionToken in the `aptoken` header on every call, and LogOut at the end.
// Usage: node kiiex_client.mjs BASE_URL API_KEY SECRET USER_ID VARIANT... (each VARIANT is headers or body)
// Prints one line per step: variant, step name, status and body separated by tabs (the same steps as KiiexClient.java).
import crypto from 'node:crypto';

const [baseUrl, apiKey, secret, userId, ...variants] = process.argv.slice(2);
const base = `${baseUrl}/kiiex`;
let variant;

function createSignature(apiSecret, nonce, user, key) {
  return crypto.createHmac('sha256', apiSecret).update(nonce + user + key).digest('hex');
}

function authenticateUser(apiSecret, nonce) {
  const fields = { APIKey: apiKey, Signature: createSignature(apiSecret, nonce, userId, apiKey), UserId: userId, Nonce: nonce };
  if (variant === 'headers') return fetch(`${base}/AuthenticateUser`, { method: 'POST', headers: fields });
  return fetch(`${base}/AuthenticateUser`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(fields),
  });
}

async function print(step, responsePromise) {
  const response = await responsePromise;
  const body = await response.text();
  console.log(`${variant}\t${step}\t${response.status}\t${body}`);
  return body;
}

for (variant of variants) {
  const nonce = crypto.randomInt(1, 2 ** 47).toString();
  const login = JSON.parse(await print('authenticate', authenticateUser(secret, nonce)));
  if (login.authenticated) {
    const aptoken = login.sessionToken;
    for (let i = 1; i <= 3; i++) {
      await print(`get${i}`, fetch(`${base}/GetUserAccounts?OMSId=1`, { headers: { aptoken } }));
    }
    await print('post', fetch(`${base}/GetAccountPositions`, {
      method: 'POST',
      headers: { aptoken, 'Content-Type': 'application/json' },
      body: JSON.stringify({ OMSId: 1, AccountId: 7 }),
    }));
    await print('replay', authenticateUser(secret, nonce));
    await print('wrong_secret', authenticateUser(`${secret}x`, crypto.randomInt(1, 2 ** 47).toString()));
    await print('logout', fetch(`${base}/LogOut`, { method: 'POST', headers: { aptoken } }));
    await print('after_logout', fetch(`${base}/GetUserAccounts`, { headers: { aptoken } }));
  }
}
