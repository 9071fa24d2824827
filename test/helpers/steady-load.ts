// A steady stream of requests at a fixed rate, half on keep-alive connections and half on fresh ones, recording how
// each one ended from the client's side: its complete response, refused before any byte of a response arrived, or
// broken (a response cut short, or an error after it began).
import { Agent, request } from 'node:http';

export interface WireRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export type Outcome =
  | { readonly kind: 'complete'; readonly status: number; readonly body: string }
  | { readonly kind: 'refused'; readonly error: string }
  | { readonly kind: 'broken'; readonly error: string };

export interface Sent {
  readonly request: WireRequest;
  /** Sent on a pooled keep-alive connection, or on a connection of its own. */
  readonly connection: 'keep-alive' | 'fresh';
  readonly outcome: Outcome;
}

/** Sends one request and resolves with how it ended, never rejects. */
export function sendOnce(url: string, wire: WireRequest, agent: Agent | false): Promise<Outcome> {
  return new Promise((resolve) => {
    let responded = false;
    let settled = false;
    const done = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const req = request(`${url}${wire.path}`, { method: wire.method, headers: wire.headers, agent }, (res) => {
      responded = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.complete) done({ kind: 'complete', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        else done({ kind: 'broken', error: 'response ended early' });
      });
      res.on('aborted', () => done({ kind: 'broken', error: 'response aborted' }));
      res.on('error', (error) => done({ kind: 'broken', error: error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      done(responded ? { kind: 'broken', error: error.code ?? error.message } : { kind: 'refused', error: error.code ?? error.message });
    });
    req.end(wire.body);
  });
}

export interface SteadyLoad {
  /** Stops sending and resolves once every request sent has ended. */
  stop(): Promise<Sent[]>;
}

/** Sends `make()` every `everyMs`, alternating between a keep-alive agent of `sockets` connections and a fresh connection. */
export function steadyLoad(url: string, make: () => WireRequest, everyMs: number, sockets = 4): SteadyLoad {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const pending: Promise<Sent>[] = [];
  let n = 0;
  const timer = setInterval(() => {
    const wire = make();
    const connection = n++ % 2 === 0 ? 'keep-alive' : 'fresh';
    pending.push(sendOnce(url, wire, connection === 'fresh' ? false : agent).then((outcome) => ({ request: wire, connection, outcome })));
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      const sent = await Promise.all(pending);
      agent.destroy();
      return sent;
    },
  };
}

/** Counts of outcomes by kind and status or error code, for a readable assertion message. */
export function tally(sent: readonly Sent[]): string {
  const counts = new Map<string, number>();
  for (const { outcome, connection } of sent) {
    const key = `${outcome.kind === 'complete' ? `complete ${outcome.status}` : `${outcome.kind} ${outcome.error}`} (${connection})`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, count]) => `${count} ${key}`).join(', ');
}
