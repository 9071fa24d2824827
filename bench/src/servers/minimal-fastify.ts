// Bare Fastify 5 plus the minimal Inqud HMAC check, in a JSON content-type parser that gets the raw bytes (where
// Fastify users check webhook signatures): a calibration row, not a peer.
import Fastify from 'fastify';
import { bareEcho, serve } from './listen.js';
import { minimalInqudCheck } from './minimal-hmac.js';

const unauthorized = Object.assign(new Error('bad signature'), { statusCode: 401 });
const app = Fastify();
app.removeContentTypeParser('application/json');
app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, raw, done) => {
  if (!minimalInqudCheck(request.headers, raw as Buffer)) return done(unauthorized);
  done(null, JSON.parse((raw as Buffer).toString('utf8')));
});
app.all('/*', async (request) => bareEcho(request.method, request.url, request.body ?? null));
await app.ready();
serve('minimal-fastify', app.server);
