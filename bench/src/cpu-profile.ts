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

const REPO_URL = `file://${ROOT}`;
/** Everything up to a dependency's own directory, in a plain or a pnpm `node_modules` layout. */
const UP_TO_PACKAGE = /^.*\/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?/;

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
    const pkg = /^(?:@[^/]+\/)?[^/]+/.exec(url.replace(UP_TO_PACKAGE, ''))?.[0] ?? 'dependency';
    return pkg === 'tsx' || pkg === 'esbuild' ? 'module loading' : pkg;
  }
  const inRepo = url.startsWith(REPO_URL) ? url.slice(REPO_URL.length) : undefined;
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
  const file = frame.url.replace(REPO_URL, '').replace(UP_TO_PACKAGE, '');
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
  // Labelled once per profile node, not once per sample (a node is sampled thousands of times).
  const labels = new Map<number, { readonly category: string; readonly key: string } | undefined>();
  const labelOf = (id: number): { readonly category: string; readonly key: string } | undefined => {
    if (labels.has(id)) return labels.get(id);
    const frame = frames.get(id)!;
    const category = categoryOf(frame, frame.url === '' ? scriptCaller(id) : undefined);
    const label = category === undefined ? undefined : { category, key: frameKey(frame) };
    labels.set(id, label);
    return label;
  };
  const functions = new Map<string, number>();
  const categories = new Map<string, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at < fromUs || at > toUs) continue;
    const label = labelOf(profile.samples[i]!);
    if (label === undefined) continue;
    functions.set(label.key, (functions.get(label.key) ?? 0) + delta / requests);
    categories.set(label.category, (categories.get(label.category) ?? 0) + delta / requests);
  }
  return { functions, categories };
}

export function total(breakdown: Breakdown): number {
  let sum = 0;
  for (const value of breakdown.categories.values()) sum += value;
  return sum;
}

/** Every key of `pick` in any of `breakdowns`, each with its value in every one of them (0 where absent). */
export function sideBySide(breakdowns: readonly Breakdown[], pick: (b: Breakdown) => ReadonlyMap<string, number>): [string, number[]][] {
  const keys = new Set(breakdowns.flatMap((b) => [...pick(b).keys()]));
  return [...keys].map((key) => [key, breakdowns.map((b) => pick(b).get(key) ?? 0)]);
}

/** Per key, the median over several profiles of the same thing, so one noisy run does not decide a figure. */
export function medianBreakdown(runs: readonly Breakdown[]): Breakdown {
  const pick = (get: (b: Breakdown) => ReadonlyMap<string, number>): Map<string, number> =>
    new Map(sideBySide(runs, get).map(([key, values]) => [key, median(values)]));
  return { functions: pick((b) => b.functions), categories: pick((b) => b.categories) };
}
