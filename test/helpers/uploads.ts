// Oversized uploads from the three kinds of client the issue names: Node's http client (keep-alive, 64 KiB writes
// with backpressure), curl and Python requests. Each returns what the client itself read back, or its error.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PYTHON } from './tools.js';

const run = promisify(execFile);

export type UploadClient = 'node' | 'curl' | 'python';
export const UPLOAD_CLIENTS: readonly UploadClient[] = ['node', 'curl', 'python'];

/** What the client read: the status and the complete body, or the error it saw instead. */
export type UploadResult = { readonly status: number; readonly body: string } | { readonly error: string };

export interface Upload {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The body, also written to `file` for curl and Python. */
  readonly body: Buffer;
  readonly file: string;
  readonly chunked: boolean;
}

/** Body files for curl and Python, removed by `remove()`. */
export function bodyFiles(): { write(name: string, body: Buffer): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'keygate-uploads-'));
  return {
    write: (name, body) => {
      const file = join(dir, name);
      writeFileSync(file, body);
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** `count` uploads in a row with one client (one keep-alive agent or session for Node and Python). */
export async function uploads(client: UploadClient, upload: Upload, count: number): Promise<UploadResult[]> {
  switch (client) {
    case 'node': {
      const agent = new Agent({ keepAlive: true });
      try {
        const results: UploadResult[] = [];
        for (let i = 0; i < count; i++) results.push(await nodeUpload(upload, agent));
        return results;
      } finally {
        agent.destroy();
      }
    }
    case 'curl': {
      const results: UploadResult[] = [];
      for (let i = 0; i < count; i++) results.push(await curlUpload(upload));
      return results;
    }
    case 'python':
      return pythonUploads(upload, count);
  }
}

/**
 * Streams the body in 64 KiB writes, waiting for 'drain', as a plain client does: it keeps writing after the answer
 * arrived, until the request is done or destroyed.
 */
export function nodeUpload(upload: Upload, agent: Agent): Promise<UploadResult> {
  return new Promise((resolve) => {
    let answered = false;
    const headers = { ...upload.headers, ...(upload.chunked ? {} : { 'content-length': String(upload.body.length) }) };
    const req = request(upload.url, { method: 'POST', headers, agent }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (error) => resolve({ error: `response: ${error.message}` }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!answered) resolve({ error: error.code ?? error.message });
    });
    let offset = 0;
    const pump = (): void => {
      while (!req.destroyed && offset < upload.body.length) {
        const more = req.write(upload.body.subarray(offset, offset + 64 * 1024));
        offset += 64 * 1024;
        if (!more) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

async function curlUpload(upload: Upload): Promise<UploadResult> {
  const args = ['-sS', '--max-time', '60', '-X', 'POST', '--data-binary', `@${upload.file}`, '-w', '\n%{http_code}'];
  for (const [name, value] of Object.entries(upload.headers)) args.push('-H', `${name}: ${value}`);
  if (upload.chunked) args.push('-H', 'Transfer-Encoding: chunked');
  try {
    const { stdout } = await run('curl', [...args, upload.url], { maxBuffer: 1024 * 1024 });
    const cut = stdout.lastIndexOf('\n');
    return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
  } catch (error) {
    return { error: String((error as { stderr?: string }).stderr ?? error).trim() };
  }
}

async function pythonUploads(upload: Upload, count: number): Promise<UploadResult[]> {
  const script = new URL('../interop/upload_client.py', import.meta.url).pathname;
  const mode = upload.chunked ? 'chunked' : 'cl';
  const { stdout } = await run(PYTHON, [script, upload.url, upload.file, mode, String(count), JSON.stringify(upload.headers)], { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim().split('\n').map((line) => JSON.parse(line) as UploadResult);
}
