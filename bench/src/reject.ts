import { cpuMs, type ServerProcess } from './proc.js';
import { load, RequestPool, type RequestMaker } from './http/load.js';
import { withServer, type ServerSpec } from './http/run.js';
import {
  hasValiantCredentials, INQUD_PATH, inqudMissingSalt, inqudSigned, VALIANT_PATH, valiantBadKey, valiantSigned,
} from './http/signers.js';
import { median, pairedRatio } from './stats.js';

export interface RejectOptions {
  readonly rounds: number;
  readonly seconds: number;
  readonly connections: number;
  readonly bodyBytes: number;
  readonly log: (line: string) => void;
}

/** A header-only check: the bad request fails on its headers, the good one is accepted (body read and parsed). */
interface RejectCase {
  /** Which scheme and which bad header, for the report. */
  readonly label: string;
  readonly path: string;
  readonly accepted: RequestMaker;
  readonly rejected: RequestMaker;
}

export interface RejectRow {
  readonly gateway: string;
  readonly label: string;
  readonly acceptCpuUs: number;
  readonly rejectCpuUs: number;
  readonly acceptRps: number;
  readonly rejectRps: number;
  /** reject / accept server CPU per request, paired by round: below 1 means rejecting is cheaper. */
  readonly cpuRatio: number;
  /** reject / accept throughput, paired by round. */
  readonly rpsRatio: number;
  readonly unexpected: number;
}

/**
 * Valiant (readsBody false) once the gateway serves it: a wrong X-AUTH-SIGNED-KEY vs the right one. Until then,
 * Inqud with X-Salt missing, which the scheme also refuses before it asks for the body.
 */
async function pickCase(server: ServerProcess, body: Buffer): Promise<RejectCase> {
  if (hasValiantCredentials) {
    const probe = valiantSigned(Buffer.from('{}'))(0);
    const response = await fetch(server.url + VALIANT_PATH, { method: 'POST', headers: probe.headers, body: probe.body });
    await response.arrayBuffer();
    if (response.status === 200) {
      return { label: 'valiant, wrong X-AUTH-SIGNED-KEY', path: VALIANT_PATH, accepted: valiantSigned(body), rejected: valiantBadKey(body) };
    }
  }
  return { label: 'inqud, X-Salt missing (valiant not served yet)', path: INQUD_PATH, accepted: inqudSigned(body), rejected: inqudMissingSalt(body) };
}

async function run(server: ServerProcess, path: string, make: RequestMaker, options: RejectOptions) {
  const pool = new RequestPool(make);
  pool.fill(4000);
  const before = cpuMs(server.pid);
  const result = await load({ url: server.url, method: 'POST', path, connections: options.connections, duration: options.seconds, pool });
  return { result, cpuUs: ((cpuMs(server.pid) - before) * 1000) / Math.max(1, result.requests) };
}

/** Accepted and rejected runs alternate on one gateway process (A, R, R, A, …), after one warm-up of each. */
export async function runReject(spec: ServerSpec, options: RejectOptions, body: Buffer): Promise<RejectRow> {
  return withServer(spec, async (server) => {
    const c = await pickCase(server, body);
    const accept: { cpuUs: number; rps: number }[] = [];
    const reject: { cpuUs: number; rps: number }[] = [];
    let unexpected = 0;
    for (let round = -1; round < options.rounds; round++) {
      const order = round % 2 === 0 ? (['accept', 'reject'] as const) : (['reject', 'accept'] as const);
      for (const side of order) {
        const { result, cpuUs } = await run(server, c.path, side === 'accept' ? c.accepted : c.rejected, options);
        const twoXx = result.requests - result.non2xx;
        unexpected += side === 'accept' ? result.non2xx + result.errors : twoXx + result.errors;
        if (round >= 0) (side === 'accept' ? accept : reject).push({ cpuUs, rps: result.rps });
      }
    }
    const row: RejectRow = {
      gateway: spec.name,
      label: c.label,
      acceptCpuUs: median(accept.map((s) => s.cpuUs)),
      rejectCpuUs: median(reject.map((s) => s.cpuUs)),
      acceptRps: median(accept.map((s) => s.rps)),
      rejectRps: median(reject.map((s) => s.rps)),
      cpuRatio: pairedRatio(reject.map((s) => s.cpuUs), accept.map((s) => s.cpuUs)),
      rpsRatio: pairedRatio(reject.map((s) => s.rps), accept.map((s) => s.rps)),
      unexpected,
    };
    options.log(`reject ${spec.name} (${c.label}): ${row.rejectCpuUs.toFixed(0)} vs ${row.acceptCpuUs.toFixed(0)} µs CPU/req`);
    return row;
  });
}
