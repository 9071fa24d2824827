import { ROOT } from './root.js';
import { median } from './stats.js';

/** The parts of a V8 `.cpuprofile` (from `node --cpu-prof` or the inspector's Profiler) that a summary needs. */
export interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: CallFrame; readonly children?: readonly number[] }[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

/** Self time per function and per category, in µs per request. */
export interface Breakdown {
  readonly functions: ReadonlyMap<string, number>;
  readonly categories: ReadonlyMap<string, number>;
}

/** Main-thread time in the kernel's socket write: the response, and on loopback the client's receive side too. */
const SOCKET_WRITES = new Set(['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String', 'writeAsciiString']);

/**
 * Where a frame's self time is counted. JS builtins (JSON.parse, string ops) count in the function that called them;
 * so do native bindings (the HMAC's `init`, `update`, `digest`): `caller` is the nearest frame with a script.
 */
export function categoryOf(frame: CallFrame, caller: CallFrame | undefined): string | undefined {
  const { functionName: name } = frame;
  if (name === '(idle)') return undefined;
  if (name === '(garbage collector)') return 'garbage collection';
  if (name === '(program)') return 'V8 and native (other)';
  if (frame.url === '' && SOCKET_WRITES.has(name)) return 'socket writes (kernel)';
  const url = frame.url === '' ? (caller?.url ?? '') : frame.url;
  if (url.includes('/node_modules/')) {
    const pkg = /\/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? 'dependency';
    return pkg === 'tsx' || pkg === 'esbuild' ? 'module loading' : pkg;
  }
  const inRepo = url.startsWith(`file://${ROOT}`) ? url.slice(`file://${ROOT}`.length) : undefined;
  if (inRepo?.startsWith('packages/')) return `keygate (${inRepo.split('/')[1]})`;
  if (inRepo?.startsWith('examples/')) return 'gateway app';
  if (inRepo?.startsWith('bench/')) return 'bench code (echo, minimal check)';
  if (url.includes('internal/crypto') || url === 'node:crypto') return 'node crypto (HMAC)';
  if (url.includes('esm/') || url.includes('modules/') || url.includes('bootstrap/')) return 'module loading';
  if (url.startsWith('node:')) return 'node core (buffers, http, streams)';
  return 'V8 and native (other)';
}

/** Function and file; line numbers only for Node's own files (tsx-compiled files report the line of the wrapper). */
function frameKey(frame: CallFrame): string {
  const file = frame.url.replace(`file://${ROOT}`, '').replace(/^.*\/node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '');
  const where = file === '' ? '(native)' : file.startsWith('node:') ? `${file}:${frame.lineNumber + 1}` : file;
  return `${frame.functionName || '(anonymous)'} ${where}`;
}

/**
 * Self time of each function over `requests` requests, counting only samples taken between `fromUs` and `toUs`
 * (profile clock, µs; default the whole profile), so a server's start-up and warm-up stay out of the figures.
 */
export function breakdown(profile: CpuProfile, requests: number, fromUs = -Infinity, toUs = Infinity): Breakdown {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const parents = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parents.set(child, n.id);
  const scriptCaller = (id: number): CallFrame | undefined => {
    for (let at = parents.get(id); at !== undefined; at = parents.get(at)) if (frames.get(at)!.url !== '') return frames.get(at);
    return undefined;
  };
  const functions = new Map<string, number>();
  const categories = new Map<string, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at < fromUs || at > toUs) continue;
    const id = profile.samples[i]!;
    const frame = frames.get(id)!;
    const category = categoryOf(frame, frame.url === '' ? scriptCaller(id) : undefined);
    if (category === undefined) continue;
    const key = frameKey(frame);
    functions.set(key, (functions.get(key) ?? 0) + delta / requests);
    categories.set(category, (categories.get(category) ?? 0) + delta / requests);
  }
  return { functions, categories };
}

export function total(breakdown: Breakdown): number {
  let sum = 0;
  for (const value of breakdown.categories.values()) sum += value;
  return sum;
}

/**
 * Rows for a side-by-side table: every key of `pick` in any column, largest first by the last column's excess over
 * the first (what the last column adds), then the rest.
 */
export function compareRows(columns: readonly Breakdown[], pick: (b: Breakdown) => ReadonlyMap<string, number>, limit: number): [string, number[]][] {
  const keys = new Set(columns.flatMap((c) => [...pick(c).keys()]));
  const rows = [...keys].map((key): [string, number[]] => [key, columns.map((c) => pick(c).get(key) ?? 0)]);
  const excess = (values: number[]): number => values[values.length - 1]! - values[0]!;
  rows.sort((a, b) => Math.abs(excess(b[1])) - Math.abs(excess(a[1])) || Math.max(...b[1]) - Math.max(...a[1]));
  return rows.slice(0, limit);
}

/** Per key, the median over several profiles of the same thing, so one noisy run does not decide a figure. */
export function medianBreakdown(runs: readonly Breakdown[]): Breakdown {
  const pick = (get: (b: Breakdown) => ReadonlyMap<string, number>): Map<string, number> => {
    const keys = new Set(runs.flatMap((r) => [...get(r).keys()]));
    return new Map([...keys].map((k) => [k, median(runs.map((r) => get(r).get(k) ?? 0))]));
  };
  return { functions: pick((b) => b.functions), categories: pick((b) => b.categories) };
}
