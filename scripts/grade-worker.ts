// One exercise of one submission, graded in its own worker thread (the regrader's parent ends it
// with terminate() when the time limit passes). Before the student's code runs, the thread gives
// up what a program has no business using here: `process`, network functions, and making new
// code from strings (which would get around the cell's import rule).
import { parentPort, workerData } from 'node:worker_threads';
import { gradeCode } from '../src/runtime/grader.ts';
import { runCell } from '../src/runtime/execute.ts';

export interface GradeJob {
  code: string;
  tests: string;
  expectedExports: string[];
}

const port = parentPort!;
const job = workerData as GradeJob;
const quiet = { log() {}, info() {}, warn() {}, error() {} };
const host = { plot() {}, progress() {} };

// Warm up the runtime's lazily measured line offsets while code generation is still allowed.
await runCell('throw new Error("warm-up")', { cellId: 'warm-up', session: new Map(), console: quiet, host });
await gradeCode({ code: '', tests: '', console: quiet, host });

function lockDown(): void {
  const refuse = () => {
    throw new EvalError('making code from strings is disabled while grading');
  };
  // Proxies keep `instanceof Function` working for library code while refusing to build code.
  const g = globalThis as Record<string, unknown>;
  for (const fn of [function () {}, async function () {}, function* () {}, async function* () {}]) {
    const proto = Object.getPrototypeOf(fn) as { constructor: CallableFunction };
    const guarded = new Proxy(proto.constructor, { apply: refuse, construct: refuse });
    Object.defineProperty(proto, 'constructor', { value: guarded, configurable: false, writable: false });
    if (proto === Function.prototype) g.Function = guarded;
  }
  g.eval = new Proxy(eval, { apply: refuse });
  for (const name of ['process', 'fetch', 'WebSocket', 'EventSource', 'require', 'module']) {
    try {
      delete g[name];
    } catch {
      /* not configurable */
    }
    if (name in g) Object.defineProperty(g, name, { value: undefined, configurable: false, writable: false });
  }
}

lockDown();
const report = await gradeCode({ ...job, console: quiet, host });
port.postMessage({ report });
