import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { connect } from 'node:net';
import test from 'ava';
import { KeygateError } from './errors.js';
import { jsonErrorReply } from './json-reply.js';
import { writeReply } from './reply-writer.js';
import type { Scheme } from './scheme.js';
import { DEFAULT_LINGER_BYTES, DEFAULT_LINGER_MS, lingerBounds } from './unread-body.js';
import { createVerifier, type VerifierOptions } from './verifier.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Reads the body (limit applies), or refuses on headers alone when the request has no `x-ok` header. */
const scheme: Scheme<string> = {
  name: 'test',
  readsBody: false,
  async verify(req) {
    if (req.header('x-ok') === undefined) throw new KeygateError('missing_credentials', 'x-ok header is missing');
    await req.body();
    return { principal: 'p' };
  },
  reject: jsonErrorReply,
};

interface Running {
  readonly port: number;
  /** Bytes each server-side connection read from the network, known once it closed. */
  readonly bytesRead: number[];
  close(): Promise<void>;
}

async function start(options: VerifierOptions): Promise<Running> {
  const verifier = createVerifier(scheme, options);
  const bytesRead: number[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const outcome = await verifier.verify({ req, res, url: req.url ?? '/', saved: undefined, consumedHint: '' });
    if (outcome.ok) res.end('ok');
    else writeReply(res, outcome.reply);
  });
  server.on('connection', (socket: Socket) => socket.on('close', () => bytesRead.push(socket.bytesRead)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    bytesRead,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface Exchange {
  /** Everything the server sent, as latin1 text. */
  readonly received: string;
  /** The server half-closed (an end of stream arrived) before the connection was gone. */
  readonly ended: boolean;
  readonly sent: number;
}

/**
 * A raw client that sends `head`, then the body in 64 KiB writes (64 KiB chunks when `chunked`) for as long as the
 * connection takes them (`forever`) or up to `bytes`, then `then`, and reads whatever comes back until the
 * connection is gone.
 */
function exchange(port: number, head: string, body: { bytes: number | 'forever'; chunked?: boolean }, then?: string): Promise<Exchange> {
  return new Promise((resolve) => {
    // allowHalfOpen: a `forever` client keeps sending after the server's end of stream, as one that ignores it would.
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const data = Buffer.alloc(64 * KiB, 0x61);
    const chunk = body.chunked ? Buffer.concat([Buffer.from('10000\r\n'), data, Buffer.from('\r\n')]) : data;
    let received = '';
    let ended = false;
    let sent = 0;
    let stopped = false;
    socket.on('data', (c: Buffer) => (received += c.toString('latin1')));
    socket.on('end', () => {
      ended = true;
      if (body.bytes !== 'forever') socket.end();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      stopped = true;
      resolve({ received, ended, sent });
    });
    const pump = (): void => {
      while (!stopped && (body.bytes === 'forever' || sent < body.bytes)) {
        const part = body.bytes === 'forever' ? chunk : chunk.subarray(0, Math.min(chunk.length, body.bytes - sent));
        sent += part.length;
        if (!socket.write(part)) return void socket.once('drain', pump);
      }
      if (then !== undefined && !stopped) socket.write(then);
    };
    socket.write(head, pump);
  });
}

const statusOf = (text: string): number[] => [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));

test('linger bounds default to 4 MiB and 2 s, take byte strings, and refuse nonsense at start-up', (t) => {
  t.deepEqual(lingerBounds({}), { bytes: DEFAULT_LINGER_BYTES, ms: DEFAULT_LINGER_MS });
  t.deepEqual(lingerBounds({ lingerBytes: '1mb', lingerMs: 0 }), { bytes: MiB, ms: 0 });
  for (const bad of [{ lingerBytes: -1 }, { lingerBytes: 'lots' }, { lingerMs: -5 }, { lingerMs: 1.5 }]) {
    t.throws(() => lingerBounds(bad as never), { instanceOf: TypeError });
    t.throws(() => createVerifier(scheme, bad as never), { instanceOf: TypeError });
  }
});

async function withServer(options: VerifierOptions, run: (server: Running) => Promise<void>): Promise<void> {
  const server = await start(options);
  try {
    await run(server);
  } finally {
    await server.close();
  }
}

test('a client that never stops sending gets its whole 413 and an end of stream, and the server reads at most limit + lingerBytes', async (t) => {
  await withServer({ limit: 64 * KiB, lingerBytes: 256 * KiB, lingerMs: 200 }, async (server) => {
    for (const [name, head, chunked] of [
      ['chunked', 'POST / HTTP/1.1\r\nHost: x\r\nX-Ok: 1\r\nTransfer-Encoding: chunked\r\n\r\n', true],
      ['declared over the limit', `POST / HTTP/1.1\r\nHost: x\r\nX-Ok: 1\r\nContent-Length: ${1024 * MiB}\r\n\r\n`, false],
    ] as const) {
      const { received, ended } = await exchange(server.port, head, { bytes: 'forever', chunked });
      t.deepEqual(statusOf(received), [413], name);
      t.regex(received, /\r\nconnection: close\r\n/i, name);
      t.true(received.endsWith('"request body is larger than the 65536-byte limit"}'), `${name}: the whole body of the answer`);
      t.true(ended, `${name}: the server half-closed before closing`);
    }
    // Chunk framing and Node's own buffers (the request stream's and the socket's read-ahead) come on top of the bounds.
    for (const read of server.bytesRead) t.true(read <= 64 * KiB + 256 * KiB + 512 * KiB, `read ${read} bytes`);
  });
});

test('a refusal on headers keeps the connection when the rest of the body fits the limit: the rest is discarded', async (t) => {
  await withServer({ limit: 256 * KiB }, async (server) => {
    const next = 'GET / HTTP/1.1\r\nHost: x\r\nX-Ok: 1\r\nConnection: close\r\n\r\n';
    for (const [name, head, bytes] of [
      ['still arriving', `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${200 * KiB}\r\n\r\n`, 200 * KiB],
      ['arrived whole before the answer', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello', 0],
    ] as const) {
      const { received } = await exchange(server.port, head, { bytes }, next);
      t.deepEqual(statusOf(received), [401, 200], `${name}: the next request on the same connection is served`);
      t.notRegex(received.split('\r\n\r\n')[0]!, /connection: close/i, name);
    }
  });
});

test('a refusal on headers closes the connection (after the answer) when the body is chunked or declared over the limit', async (t) => {
  await withServer({ limit: 64 * KiB, lingerMs: 200 }, async (server) => {
    for (const [head, chunked] of [
      ['POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n', true],
      [`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${64 * MiB}\r\n\r\n`, false],
    ] as const) {
      const { received, ended } = await exchange(server.port, head, { bytes: 'forever', chunked });
      t.deepEqual(statusOf(received), [401]);
      t.regex(received, /\r\nconnection: close\r\n/i);
      t.true(ended);
    }
  });
});

test('a client that stalls mid-body after a refusal loses the connection once lingerMs has passed', async (t) => {
  await withServer({ lingerMs: 50 }, async (server) => {
    // Declares 100 KiB, sends 10 and waits: only the server can end this.
    const { received } = await exchange(server.port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 102400\r\n\r\n', { bytes: 10 * KiB });
    t.deepEqual(statusOf(received), [401]);
  });
});
