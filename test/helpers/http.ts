import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  json<T = Record<string, unknown>>(): T;
}

export interface SendOptions {
  readonly method?: string;
  /** A record, or a flat [name, value, name, value] list to send a header twice. */
  readonly headers?: Record<string, string> | readonly string[];
  readonly body?: string | Uint8Array;
  /** Send the body with Transfer-Encoding: chunked instead of Content-Length. */
  readonly chunked?: boolean;
}

/** One HTTP request with node:http, so tests control every header line (duplicates included). */
export function send(url: string, options: SendOptions = {}): Promise<Reply> {
  const { method = 'GET', body, chunked = false } = options;
  const headers: string[] = Array.isArray(options.headers)
    ? [...(options.headers as readonly string[])]
    : Object.entries(options.headers ?? {}).flat();
  // A flat header list is sent as is, so Node adds no Host of its own.
  headers.push('host', new URL(url).host);
  if (body !== undefined && !chunked) headers.push('content-length', String(Buffer.byteLength(body)));
  if (body !== undefined && chunked) headers.push('transfer-encoding', 'chunked');
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(url, { method, headers: headers as unknown as Record<string, string>, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      const done = (): void => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: () => JSON.parse(text) });
      };
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', done);
      // A server that answers early (413, 431) and closes may cut the upload; the answer still counts.
      res.on('close', done);
      res.on('error', () => {});
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (body !== undefined) {
      if (chunked) {
        const bytes = Buffer.from(body);
        for (let offset = 0; offset < bytes.length; offset += 64 * 1024) req.write(bytes.subarray(offset, offset + 64 * 1024));
      } else req.write(body);
    }
    req.end();
  });
}

/**
 * Writes raw bytes to the server and returns whatever it answers before closing (or '' when it just closes).
 * `after: 'destroy'` drops the connection after writing, like a client that dies mid-upload; `'end'` half-closes it,
 * like a client that stops sending but still reads.
 */
export function sendRaw(url: string, raw: string | Buffer, after: 'wait' | 'end' | 'destroy' = 'wait'): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    socket.on('data', (c: Buffer) => {
      answer += c.toString('latin1');
    });
    socket.on('error', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.write(raw, () => {
      if (after === 'destroy') socket.destroy();
      if (after === 'end') socket.end();
    });
    setTimeout(() => socket.destroy(), 3000).unref();
  });
}
