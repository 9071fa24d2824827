// What answering an oversized upload costs the server: CPU, bytes read off the network, and how long a connection
// stays open after the 413, for a client that stops once it has read its answer (Node's http client) and for one
// that never stops sending, under several lingerBytes, against an accepted 1 MiB request as the anchor.
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { signInqud } from '@keygate/inqud';
import { nodeUpload } from '../../test/helpers/uploads.js';
import { jsonBody } from './bodies.js';
import { INQUD_PATH, inqudSigned } from './http/signers.js';
import { cpuMs, startServer, type ServerProcess } from './proc.js';
import { median } from './stats.js';
import { demoCredentials } from './http/signers.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const { tokenId, secret } = demoCredentials.inqud[0]!;

export interface LingerOptions {
  /** Requests per case; each case runs `concurrency` at a time. */
  readonly requests: number;
  readonly concurrency: number;
  readonly log: (line: string) => void;
}

/** One case's cost per request, medians over its batches. */
export interface LingerRow {
  readonly bounds: string;
  readonly client: string;
  readonly cpuMs: number;
  readonly readMiB: number;
  /** From the moment the client had its answer until the server closed the connection (never-stopping clients). */
  readonly holdMs: number | undefined;
  /** Answers that were not the expected status. */
  readonly unexpected: number;
}

/** Bytes a process has read through read(2) and friends, sockets included (rchar of /proc/PID/io). */
function bytesRead(pid: number): number {
  return Number(/^rchar: (\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? NaN);
}

/**
 * A client that never stops: sends a signed head, then 64 KiB writes for as long as the connection takes them.
 * Resolves with the status it read and the time from that answer to the connection's end.
 */
function neverStops(url: string, chunked: boolean): Promise<{ status: number; holdMs: number }> {
  const { hostname, port } = new URL(url);
  const headers = { ...signInqud({ tokenId, secret, body: 'x' }), host: 'x', ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(1024 * MiB) }) };
  const data = Buffer.alloc(64 * KiB, 0x61);
  const piece = chunked ? Buffer.concat([Buffer.from('10000\r\n'), data, Buffer.from('\r\n')]) : data;
  return new Promise((resolve) => {
    // allowHalfOpen: keep sending after the server's end of stream, as a client that ignores it would.
    const socket = connect({ port: Number(port), host: hostname, allowHalfOpen: true });
    let answer = '';
    let answeredAt = 0;
    socket.on('data', (c: Buffer) => {
      answer += c.toString('latin1');
      if (answeredAt === 0 && answer.includes('\r\n\r\n')) answeredAt = performance.now();
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0), holdMs: answeredAt === 0 ? NaN : performance.now() - answeredAt }));
    const pump = (): void => {
      while (!socket.destroyed && socket.write(piece));
      if (!socket.destroyed) socket.once('drain', pump);
    };
    socket.write(`POST ${INQUD_PATH} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`, pump);
  });
}

interface Case {
  readonly client: string;
  readonly expected: number;
  send(url: string): Promise<{ status: number; holdMs?: number }>;
}

const accepted = jsonBody(MiB);
const upload = Buffer.alloc(64 * MiB, 0x61);
const uploadHeaders = { ...signInqud({ tokenId, secret, body: upload }), 'content-type': 'application/json' };
const agent = new Agent({ keepAlive: true, timeout: 2000 });
const CASES: readonly Case[] = [
  {
    client: 'accepted 1 MiB (anchor)', expected: 200,
    async send(url) {
      const { headers, body } = inqudSigned(accepted)(0);
      const result = await nodeUpload({ url: url + INQUD_PATH, headers, body, file: '', chunked: false }, agent);
      return { status: 'status' in result ? result.status : 0 };
    },
  },
  {
    client: 'Node http, 64 MiB chunked (stops once answered)', expected: 413,
    async send(url) {
      const result = await nodeUpload({ url: url + INQUD_PATH, headers: uploadHeaders, body: upload, file: '', chunked: true }, agent);
      return { status: 'status' in result ? result.status : 0 };
    },
  },
  { client: 'never stops, Content-Length 1 GiB', expected: 413, send: (url) => neverStops(url, false) },
  { client: 'never stops, chunked', expected: 413, send: (url) => neverStops(url, true) },
];

async function measure(server: ServerProcess, c: Case, options: LingerOptions): Promise<Omit<LingerRow, 'bounds'>> {
  const cpu: number[] = [];
  const read: number[] = [];
  const hold: number[] = [];
  let unexpected = 0;
  await c.send(server.url); // warm-up
  for (let done = 0; done < options.requests; done += options.concurrency) {
    const cpuBefore = cpuMs(server.pid);
    const readBefore = bytesRead(server.pid);
    const results = await Promise.all(Array.from({ length: options.concurrency }, () => c.send(server.url)));
    // The server may still be closing the last connections: give it a moment before reading its counters.
    await new Promise((resolve) => setTimeout(resolve, 50));
    cpu.push((cpuMs(server.pid) - cpuBefore) / results.length);
    read.push((bytesRead(server.pid) - readBefore) / results.length / MiB);
    for (const r of results) {
      if (r.status !== c.expected) unexpected++;
      if (r.holdMs !== undefined) hold.push(r.holdMs);
    }
  }
  return { client: c.client, cpuMs: median(cpu), readMiB: median(read), holdMs: hold.length > 0 ? median(hold) : undefined, unexpected };
}

/** Each bounds setting on a fresh server process: every case, `requests` times. */
export async function runLinger(settings: readonly { label: string; env: Record<string, string> }[], options: LingerOptions): Promise<LingerRow[]> {
  const rows: LingerRow[] = [];
  for (const { label, env } of settings) {
    const server = await startServer(`keygate-express ${label}`, 'bench/src/servers/keygate-express.ts', env);
    try {
      for (const c of CASES) {
        const row = { bounds: label, ...(await measure(server, c, options)) };
        options.log(`linger ${label}, ${c.client}: ${row.cpuMs.toFixed(1)} ms CPU, ${row.readMiB.toFixed(1)} MiB read per request`);
        rows.push(row);
      }
    } finally {
      await server.stop();
    }
  }
  agent.destroy();
  return rows;
}
