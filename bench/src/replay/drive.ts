import { load, RequestPool } from '../http/load.js';
import { INQUD_PATH, inqudSigned } from '../http/signers.js';
import { memory, startServer } from '../proc.js';

export interface DriveRow {
  readonly gateway: string;
  readonly requests: number;
  readonly ok: number;
  readonly other: number;
  readonly rps: number;
  readonly rssMiB: number;
  readonly replayFill: string;
}

/**
 * A demo gateway on its default memory replay store, driven with `count` Inqud requests, each with a fresh salt: the
 * 0.1 store answered 503 to every request after the first 100 000. Reports how many were answered 200.
 */
export async function driveGateway(name: string, entry: string, count: number, log: (line: string) => void): Promise<DriveRow> {
  const server = await startServer(name, entry);
  try {
    const pool = new RequestPool(inqudSigned(Buffer.from('{"amount": 50}')));
    pool.fill(count);
    const result = await load({ url: server.url, method: 'POST', path: INQUD_PATH, connections: 64, amount: count, pool });
    const ok = result.requests - result.non2xx;
    log(`replay drive ${name}: ${ok} of ${count} answered 200 at ${result.rps.toFixed(0)} req/s`);
    return {
      gateway: name,
      requests: result.requests,
      ok,
      other: result.non2xx + result.errors + result.timeouts,
      rps: result.rps,
      rssMiB: memory(server.pid).rss / 2 ** 20,
      replayFill: /KEYGATE_NONCE_STORE_FILL/.test(server.output()) ? 'warned' : 'no warning',
    };
  } finally {
    await server.stop();
  }
}
