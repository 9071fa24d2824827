// Lenme's Node example, as its authentication document writes it (CommonJS, crypto.createHmac), sending with fetch.
// Usage: node lenme_client.cjs URL API_KEY SECRET_KEY
// Prints {"status", "body"} as JSON.
const crypto = require('crypto');

// From the vendor document, unchanged.
function generateClientHmac(secretKey) {
  const timestamp = Math.floor(Date.now() / 1000).toString();
  const message = `${timestamp}:${secretKey}`;
  const hmac = crypto.createHmac('sha256', secretKey).update(message).digest('hex');
  return [hmac, timestamp];
}

const [url, apiKey, secretKey] = process.argv.slice(2);
const [hmacSignature, timestamp] = generateClientHmac(secretKey);

fetch(url, {
  method: 'POST',
  headers: {
    accept: 'application/json',
    'Content-Type': 'application/json',
    'X-API-KEY': apiKey,
    'X-Timestamp': timestamp,
    'X-HMAC': hmacSignature,
  },
  body: JSON.stringify({ loan_id: 42, amount: 50.5 }),
}).then(async (response) => {
  console.log(JSON.stringify({ status: response.status, body: await response.text() }));
});
