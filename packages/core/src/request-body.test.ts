import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import test from 'ava';
import fc from 'fast-check';
import { toKeygateError } from './errors.js';
import { readRequestBody } from './request-body.js';

const LIMIT = 64 * 1024;

interface Read {
  readonly bytes?: Buffer;
  readonly code?: string;
  /** Whether the stream reached its end after the read (as it does after raw-body's). */
  readonly ended: boolean;
  /** What a second reader of the same request gets. */
  readonly again?: string;
}

/**
 * A real Node server whose handler reads each body with readRequestBody, as an adapter does from inside the
 * 'request' event, and answers the bytes' hex; the client below writes raw HTTP in the pieces a test chooses, so the
 * body can arrive with the headers, after them, split, or pipelined behind another request.
 */
async function bodyServer(limit = LIMIT): Promise<{ server: Server; port: number; reads: Read[] }> {
  const reads: Read[] = [];
  const server = createServer((req, res) => {
    void readRequestBody({ req, saved: undefined, consumedHint: 'hint' }, limit).then(
      async (bytes) => {
        const again = await readRequestBody({ req, saved: undefined, consumedHint: 'hint' }, limit).then(
          () => 'read twice',
          (error: unknown) => toKeygateError(error).code,
        );
        if (!req.readableEnded) await once(req as IncomingMessage, 'end');
        reads.push({ bytes, ended: req.readableEnded, again });
        res.end(bytes.toString('hex'));
      },
      (error: unknown) => {
        reads.push({ code: toKeygateError(error).code, ended: req.readableEnded });
        res.writeHead(400, { connection: 'close' }).end();
      },
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, reads };
}

/** Writes each piece in its own write, `gapMs` apart, and resolves with everything the server answered. */
async function send(port: number, pieces: readonly Buffer[], gapMs = 0): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.setNoDelay(true);
  const closed = once(socket, 'close'); // the server may answer and close before the last write returns
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  for (const [i, piece] of pieces.entries()) {
    if (i > 0 && gapMs > 0) await sleep(gapMs);
    socket.write(piece);
  }
  socket.end();
  await closed;
  return Buffer.concat(chunks).toString('latin1');
}

function head(length: number, extra = ''): Buffer {
  return Buffer.from(`POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: ${length}\r\n${extra}\r\n`, 'latin1');
}

test('a body that came with its headers is read exactly, the stream still reaches its end, and a second read is refused as consumed', async (t) => {
  const { server, port, reads } = await bodyServer();
  t.teardown(() => server.close());
  const body = Buffer.from([0x00, 0xff, 0xc3, 0x28, 0x0d, 0x0a, 0x7b]);
  const answer = await send(port, [Buffer.concat([head(body.length), body])]);
  t.true(answer.endsWith(body.toString('hex')));
  t.deepEqual(reads, [{ bytes: body, ended: true, again: 'body_consumed' }]);
});

test('pipelined requests in one write each get their own bytes, never the next request\'s', async (t) => {
  const { server, port, reads } = await bodyServer();
  t.teardown(() => server.close());
  const first = Buffer.from('{"a":1}');
  const second = Buffer.from('{"second":true}');
  await send(port, [Buffer.concat([head(first.length), first, head(second.length, 'Connection: close\r\n'), second])]);
  t.deepEqual(reads.map((r) => r.bytes?.toString()), [first.toString(), second.toString()]);
});

test('a body sent after its headers, or split across writes, is read whole', async (t) => {
  const { server, port, reads } = await bodyServer();
  t.teardown(() => server.close());
  const body = Buffer.from('x'.repeat(3000));
  await send(port, [head(body.length, 'Connection: close\r\n'), body.subarray(0, 1000), body.subarray(1000)], 20);
  t.is(reads[0]?.bytes?.toString(), body.toString());
});

test('a declared length over the limit is refused whatever arrived with the headers', async (t) => {
  const { server, port, reads } = await bodyServer(16);
  t.teardown(() => server.close());
  await send(port, [Buffer.concat([head(17), Buffer.alloc(17, 0x61)])]);
  t.is(reads[0]?.code, 'body_too_large');
});

test('property: whatever the body and however its bytes are cut into writes, the bytes read are the bytes sent', async (t) => {
  const { server, port, reads } = await bodyServer();
  t.teardown(() => server.close());
  await t.notThrowsAsync(fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ minLength: 1, maxLength: 4096 }),
      fc.array(fc.nat(), { maxLength: 4 }),
      fc.boolean(),
      async (body, cuts, withHeaders) => {
        const bytes = Buffer.from(body);
        const points = [...new Set(cuts.map((c) => c % bytes.length))].sort((a, b) => a - b);
        const pieces = [0, ...points].map((from, i) => bytes.subarray(from, points[i] ?? bytes.length)).filter((p) => p.length > 0);
        const start = head(bytes.length, 'Connection: close\r\n');
        const writes = withHeaders ? [Buffer.concat([start, pieces[0]!]), ...pieces.slice(1)] : [start, ...pieces];
        const before = reads.length;
        await send(port, writes, 1);
        return reads.length === before + 1 && reads[before]!.bytes?.equals(bytes) === true && reads[before]!.ended;
      },
    ),
    { numRuns: 60 },
  ));
});
