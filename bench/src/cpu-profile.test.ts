import test from 'ava';
import { breakdown, categoryOf, medianBreakdown, total, type CpuProfile } from './cpu-profile.js';
import { ROOT } from './root.js';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

// root -> verifyInqud (keygate) -> init (native binding, counted where it was called from: node crypto via Hmac)
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 5, 6, 7, 8] },
    { id: 2, callFrame: frame('verifyInqud', `file://${ROOT}packages/inqud/src/scheme.ts`), children: [3] },
    { id: 3, callFrame: frame('Hmac', 'node:internal/crypto/hash', 160), children: [4] },
    { id: 4, callFrame: frame('init') },
    { id: 5, callFrame: frame('(garbage collector)') },
    { id: 6, callFrame: frame('(idle)') },
    { id: 7, callFrame: frame('writev') },
    { id: 8, callFrame: frame('respond', `file://${ROOT}node_modules/.pnpm/koa@3.0.1/node_modules/koa/lib/application.js`) },
  ],
  startTime: 1000,
  endTime: 2000,
  // One sample per node at t = 1100, 1200, ... (each 100 µs after the previous one).
  samples: [2, 3, 4, 5, 6, 7, 8],
  timeDeltas: [100, 100, 100, 100, 100, 100, 100],
};

test('self time is summed per category and function, per request, idle left out', (t) => {
  const b = breakdown(profile, 10);
  t.deepEqual(Object.fromEntries(b.categories), {
    'keygate (inqud)': 10,
    'node crypto (HMAC)': 20, // the Hmac frame and the native init it called
    'garbage collection': 10,
    'socket writes (kernel)': 10,
    koa: 10,
  });
  t.is(b.functions.get('verifyInqud packages/inqud/src/scheme.ts'), 10);
  t.is(b.functions.get('Hmac node:internal/crypto/hash:161'), 10);
  t.is(b.functions.get('init (native)'), 10);
  t.is(b.functions.get('respond koa/lib/application.js'), 10);
  t.is(total(b), 60);
});

test('only samples inside the window count', (t) => {
  const b = breakdown(profile, 1, 1150, 1450); // the samples at 1200, 1300 and 1400
  t.deepEqual(Object.fromEntries(b.categories), { 'node crypto (HMAC)': 200, 'garbage collection': 100 });
});

test('categories: a native frame without a scripted caller, start-up code and unknown scripts', (t) => {
  t.is(categoryOf(frame('init'), undefined), 'V8 and native (other)');
  t.is(categoryOf(frame('(program)'), undefined), 'V8 and native (other)');
  t.is(categoryOf(frame('load', `file://${ROOT}node_modules/.pnpm/tsx@4.20.0/node_modules/tsx/dist/esm/index.mjs`), undefined), 'module loading');
  t.is(categoryOf(frame('reply', `file://${ROOT}examples/koa-gateway/src/app.ts`), undefined), 'gateway app');
  t.is(categoryOf(frame('(idle)'), undefined), undefined);
});

test('medianBreakdown takes each key on its own, a key missing from a run counting as 0', (t) => {
  const runs = [5, 1, 3].map((gc) => ({ functions: new Map([['f', gc]]), categories: new Map([['garbage collection', gc]]) }));
  runs.push({ functions: new Map(), categories: new Map([['koa', 4]]) });
  const m = medianBreakdown(runs);
  t.is(m.categories.get('garbage collection'), 2); // median of 5, 1, 3, 0
  t.is(m.categories.get('koa'), 0);
  t.is(m.functions.get('f'), 2);
});
