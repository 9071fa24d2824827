import type { SignedRequest } from '@keygate/core';
import { MICRO_SIZES, jsonBody, sizeKey, sizeLabel } from '../bodies.js';
import { median, pairedRatio } from '../stats.js';
import { toSignedRequest, type BenchRequest, type Check, type MicroCase } from './case.js';

export interface MicroOptions {
  /** Timed rounds per pair (after the warm-up rounds). */
  readonly rounds: number;
  /** Target wall time of one side of one round, in ms; sets how many requests a round verifies. */
  readonly roundMs: number;
  readonly log: (line: string) => void;
}

export interface VerifyRow {
  readonly scheme: string;
  /** A reference verifier (not keygate), held to no target. */
  readonly reference: boolean;
  /** Body bytes, or undefined when the scheme's MAC covers no body (one row, "any" size). */
  readonly size: number | undefined;
  readonly keygateNs: number;
  readonly minimalNs: number;
  /** keygate / minimal, median of the per-round ratios. */
  readonly ratio: number;
}

export interface TimingRow {
  readonly scheme: string;
  readonly size: number | undefined;
  readonly unknownNs: number;
  readonly badNs: number;
  /** unknown id / known id with a bad signature, median of the per-round ratios. */
  readonly ratio: number;
}

export interface MicroResult {
  readonly verify: readonly VerifyRow[];
  readonly timing: readonly TimingRow[];
}

interface Prepared {
  readonly raw: BenchRequest;
  readonly signed: SignedRequest;
}

/** What every call in a timed run must come to: accepted, or rejected with this KeygateError code. */
type Expect = 'accept' | 'bad_signature' | 'unknown_key';

interface Side {
  readonly label: string;
  readonly inputs: readonly Prepared[];
  readonly check: (input: Prepared) => unknown;
  readonly expect: Expect;
}

const WARMUP_ROUNDS = 10;
function prepare(raw: BenchRequest): Prepared {
  return { raw, signed: toSignedRequest(raw) };
}

/**
 * One timed run: every input once, awaited in turn (the same loop for keygate and for the minimal verifier, which
 * is synchronous, so both pay the same await per call). Returns ns per call; throws if any outcome is unexpected,
 * so a benchmark of 401s can never pass for a benchmark of accepts.
 */
async function timedRun(side: Side): Promise<number> {
  const { inputs, check, expect } = side;
  let matched = 0;
  let other = '';
  const start = process.hrtime.bigint();
  for (let i = 0; i < inputs.length; i++) {
    try {
      if ((await check(inputs[i]!)) && expect === 'accept') matched++;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === expect) matched++;
      else other = String(code ?? error);
    }
  }
  const elapsed = Number(process.hrtime.bigint() - start);
  if (matched !== inputs.length) {
    throw new Error(`${side.label}: ${matched}/${inputs.length} calls came to ${expect}${other === '' ? '' : ` (saw ${other})`}`);
  }
  return elapsed / inputs.length;
}

/** A and B interleaved, round by round, alternating which goes first; `beforeRound` runs outside the timing. */
async function interleaved(a: Side, b: Side, rounds: number, beforeRound: () => void): Promise<[number[], number[]]> {
  const aNs: number[] = [];
  const bNs: number[] = [];
  for (let r = 0; r < WARMUP_ROUNDS + rounds; r++) {
    beforeRound();
    const first = r % 2 === 0 ? a : b;
    const second = first === a ? b : a;
    const firstNs = await timedRun(first);
    const secondNs = await timedRun(second);
    if (r < WARMUP_ROUNDS) continue;
    (first === a ? aNs : bNs).push(firstNs);
    (first === a ? bNs : aNs).push(secondNs);
  }
  return [aNs, bNs];
}

/** How many calls make a round of about `roundMs`, from a short probe of `probe` (at least 16, at most 20 000). */
async function roundSize(make: (index: number) => BenchRequest, probe: (input: Prepared) => unknown, roundMs: number): Promise<number> {
  const inputs = Array.from({ length: 32 }, (_, i) => prepare(make(i)));
  let best = Infinity;
  for (let attempt = 0; attempt < 3; attempt++) {
    const start = process.hrtime.bigint();
    for (const input of inputs) {
      try {
        await probe(input);
      } catch {
        // the probe only measures time
      }
    }
    best = Math.min(best, Number(process.hrtime.bigint() - start) / inputs.length);
  }
  return Math.max(16, Math.min(20_000, Math.round((roundMs * 1e6) / best)));
}

async function verifyRow(c: MicroCase, size: number, options: MicroOptions): Promise<VerifyRow> {
  const { valid, minimal: minimalCheck } = c.verify!;
  const body = jsonBody(size);
  // One scheme, and so one replay store, for the whole row, as a process keeps one: a store made per round would time
  // a young store's first claims (and, since the store reserves its budget when made, V8 collecting the last one's).
  const check: Check = c.create();
  const keygate = (input: Prepared): unknown => check(input.signed);
  const minimal = (input: Prepared): unknown => minimalCheck(input.raw);
  const count = await roundSize((i) => valid(body, i), minimal, options.roundMs);
  const inputs = Array.from({ length: count }, (_, i) => prepare(valid(body, i)));
  const [keygateNs, minimalNs] = await interleaved(
    { label: `${c.name} keygate ${sizeLabel(size)}`, inputs, check: keygate, expect: 'accept' },
    { label: `${c.name} minimal ${sizeLabel(size)}`, inputs, check: minimal, expect: 'accept' },
    options.rounds,
    () => {
      // Fresh salts and nonces every round, signed outside the timing: each is new to the store.
      for (let i = 0; i < count; i++) inputs[i] = prepare(valid(body, i));
    },
  );
  return {
    scheme: c.name,
    reference: c.reference === true,
    size: c.coversBody ? size : undefined,
    keygateNs: median(keygateNs),
    minimalNs: median(minimalNs),
    ratio: pairedRatio(keygateNs, minimalNs),
  };
}

async function timingRow(c: MicroCase, size: number, options: MicroOptions): Promise<TimingRow> {
  const { unknownId, badSignature } = c.timing!;
  const body = jsonBody(size);
  // Refusals claim nothing, so one scheme serves every round.
  const check: Check = c.create();
  const keygate = (input: Prepared): unknown => check(input.signed);
  const count = await roundSize((i) => badSignature(body, i), keygate, options.roundMs);
  const unknown = Array.from({ length: count }, (_, i) => prepare(unknownId(body, i)));
  const bad = Array.from({ length: count }, (_, i) => prepare(badSignature(body, i)));
  const [unknownNs, badNs] = await interleaved(
    { label: `${c.name} unknown id ${sizeLabel(size)}`, inputs: unknown, check: keygate, expect: 'unknown_key' },
    { label: `${c.name} bad signature ${sizeLabel(size)}`, inputs: bad, check: keygate, expect: 'bad_signature' },
    options.rounds,
    () => {},
  );
  return {
    scheme: c.name,
    size: c.coversBody ? size : undefined,
    unknownNs: median(unknownNs),
    badNs: median(badNs),
    ratio: pairedRatio(unknownNs, badNs),
  };
}

/** keygate's verify against the minimal verifier, and unknown id against bad signature, for every case. */
export async function runMicro(cases: readonly MicroCase[], options: MicroOptions): Promise<MicroResult> {
  const verify: VerifyRow[] = [];
  const timing: TimingRow[] = [];
  for (const c of cases) {
    await c.setup?.();
    const sizes = c.coversBody ? MICRO_SIZES : [0];
    for (const size of c.verify === undefined ? [] : sizes) {
      const row = await verifyRow(c, size, options);
      options.log(`micro ${c.name} ${row.size === undefined ? 'any' : sizeLabel(size)}: ${row.ratio.toFixed(2)}x minimal`);
      verify.push(row);
    }
    for (const size of c.timing === undefined ? [] : sizes.filter((s) => s <= 1024)) {
      const row = await timingRow(c, size, options);
      options.log(`micro ${c.name} unknown id vs bad signature ${row.size === undefined ? 'any' : sizeLabel(size)}: ${row.ratio.toFixed(3)}`);
      timing.push(row);
    }
  }
  return { verify, timing };
}

export function microKey(scheme: string, size: number | undefined): string {
  return `${scheme}.${size === undefined ? 'any' : sizeKey(size)}`;
}
