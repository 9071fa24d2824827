import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import test from 'ava';
import { signedRequestFromNode } from './node-request.js';

function nodeRequest(rawHeaders: string[]): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.method = 'POST';
  req.rawHeaders = rawHeaders;
  return req;
}

const wrap = (req: IncomingMessage) => signedRequestFromNode({ req, saved: undefined, consumedHint: 'hint' }, '/p?q=1', 1024);

test('header() finds a header by lower-case name whatever case it was sent in, with its value as sent', (t) => {
  const req = wrap(nodeRequest(['Host', 'a', 'X-Salt', ' Ab c ', 'x-token-api-id', 'TKN-1', 'CONTENT-TYPE', 'application/json']));
  t.is(req.header('x-salt'), ' Ab c ');
  t.is(req.header('x-token-api-id'), 'TKN-1');
  t.is(req.header('content-type'), 'application/json');
  t.is(req.header('x-hmac-sha256-signature'), undefined);
  t.is(req.method, 'POST');
  t.is(req.path, '/p?q=1');
});

test('header() refuses a header sent twice, in any case mix, instead of joining or picking one', (t) => {
  for (const raw of [['X-Salt', 'a', 'X-Salt', 'b'], ['x-salt', 'a', 'X-SALT', 'a'], ['Content-Type', 'a/json', 'content-type', 'b/json']]) {
    const req = wrap(nodeRequest(raw));
    const name = raw[0]!.toLowerCase();
    t.throws(() => req.header(name), { code: 'malformed_credentials', message: `${name} header was sent more than once` } as never);
  }
  t.is(wrap(nodeRequest(['X-Salt', 'a', 'X-Salty', 'b'])).header('x-salt'), 'a');
});
