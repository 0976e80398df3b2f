// One submission, graded in a Node process of its own that scripts/grade-sandbox.ts started: with
// the permission model (it may read the book's code, nothing else; no writes, child processes,
// workers, addons or WASI), no environment, and a parent that kills it at the time limit or above
// the memory cap. Inside, the student's code runs in an SES Compartment after lockdown():
//
// - every JavaScript intrinsic (Array.prototype, Map.prototype, Function, Promise, …) is frozen,
//   and the engine's exports (Tensor.prototype among them) are hardened, so nothing the tests or
//   this file use can be patched;
// - the Compartment's globals are a short list (ALLOWED_GLOBALS): no process, require, import(),
//   fetch, timers of the host, inspector or Function of this realm; code made from strings stays
//   in the Compartment.
//
// The job comes on stdin (read before any student code runs); the reports go out on fd 3, a pipe
// the student's code has no handle to. The parent checks every report and caps its score.
import 'ses';
import { writeSync } from 'node:fs';
import * as bookModule from '../src/runtime/book-module.ts';
import { gradeCode, type GradeReport } from '../src/runtime/grader.ts';
import type { CompileCell } from '../src/runtime/execute.ts';

export interface GradeJob {
  code: string;
  tests: string;
  expectedExports: string[];
}

/** One line on fd 3: first `ready` (the sandbox is up), then one report per job, in order. */
export type WorkerMessage = { ready: true } | { index: number; report: GradeReport };

/** The longest text a report carries per field; the parent caps again. */
const MAX_TEXT = 2000;
const REPORT_FD = 3;

const send = (m: WorkerMessage) => writeSync(REPORT_FD, `${JSON.stringify(m)}\n`);
const quiet = { log() {}, info() {}, warn() {}, error() {} };
const host = { plot() {}, progress() {} };

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const { jobs } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { jobs: GradeJob[] };

// Warm up while this realm is still ordinary: the runtime measures its line offsets with the
// Function constructor, and the CPU backend is created on first use.
await gradeCode({ code: 'export const x = 1;', tests: 'test("warm-up", () => check.equal(x, 1));', expectedExports: ['x'], console: quiet, host });
const cpu = bookModule.getBackend();

lockdown({
  errorTaming: 'unsafe', // keep V8's stack: a failure names the student's line
  stackFiltering: 'verbose',
  overrideTaming: 'severe', // assigning e.g. `toString` on a plain object still works
  consoleTaming: 'unsafe',
  evalTaming: 'unsafe-eval', // the tests (trusted) are compiled by this realm's Function; the student's code never is
  domainTaming: 'unsafe',
});

/**
 * harden() each export, except those whose fields the engine writes — class instances such as
 * defaultGenerator (its seed), RegExps (lastIndex) and printOptions: these are sealed (no property
 * added or removed, so no method can be shadowed) and their prototypes hardened.
 * Module namespaces (nn, optim, …) are immutable already; their values are hardened.
 */
function hardenModule(ns: Record<string, unknown>, seen = new Set<object>()): void {
  if (seen.has(ns)) return;
  seen.add(ns);
  for (const key of Object.keys(ns)) {
    const value = ns[key];
    if (!value || typeof value !== 'object') harden(value);
    else if ((value as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] === 'Module') hardenModule(value as Record<string, unknown>, seen);
    else if (value === bookModule.printOptions || ![Object.prototype, Array.prototype, Map.prototype, null].includes(Object.getPrototypeOf(value))) {
      Object.seal(value);
      harden(Object.getPrototypeOf(value));
    } else harden(value);
  }
}
hardenModule(bookModule as unknown as Record<string, unknown>);
// The backend object the tests compute through: its methods cannot be replaced on the instance.
Object.freeze(cpu);
harden(quiet);
harden(host);

/** The engine as the student's code sees it: the same, except that it cannot swap the backend the tests compute with. */
const cpuOnly = (what: string) => () => {
  throw new Error(`${what} is not available while the instructor regrades (grading runs on the CPU backend)`);
};
// A shallow freeze: every value is hardened already, or a module namespace (immutable, not freezable).
const gradingModule = Object.freeze({
  ...bookModule,
  ...harden({
    registerBackend: cpuOnly('registerBackend'),
    setBackend: (name: string) => (name === 'cpu' ? cpu : cpuOnly(`setBackend('${String(name)}')`)()),
    initBackend: async () => 'cpu' as const,
    initWebGPU: async () => null,
  }),
});

const timers = new Map<number, ReturnType<typeof setTimeout>>();
let nextTimer = 1;
/** What the student's code finds as globals, besides the language's own (Object, Array, Math, …). */
const ALLOWED_GLOBALS = harden({
  console: quiet,
  Math, // this realm's, which keeps Math.random
  Date, // likewise Date.now()
  // Left out of Compartments by SES for a NaN side channel that does not matter here; frozen by lockdown().
  Float32Array,
  Float64Array,
  performance: { now: () => performance.now() },
  setTimeout: (fn: unknown, ms?: number) => {
    const id = nextTimer++;
    // A throw from the callback would end this process (as an uncaught exception): it is dropped, as a page's worker reports and survives it.
    const run = () => {
      timers.delete(id);
      try {
        if (typeof fn === 'function') fn();
      } catch {
        /* the student's own timer */
      }
    };
    timers.set(id, setTimeout(run, Number(ms) || 0));
    return id;
  },
  clearTimeout: (id: number) => (clearTimeout(timers.get(id)), timers.delete(id)),
});

const compartment = new Compartment({ globals: ALLOWED_GLOBALS, __options__: true });
const requireForGrading = Object.freeze((specifier: string) => {
  if (specifier === 'attention-lab') return gradingModule;
  throw new Error(`Cells can import only from 'attention-lab' (the book's engine and helpers); '${String(specifier)}' is not available here.`);
});

/** The student's code, evaluated inside the Compartment, with the grading view of the engine. */
const compileInCompartment: CompileCell = (params, body) => {
  let fn: (...args: unknown[]) => Promise<unknown>;
  try {
    fn = compartment.evaluate(`(async function anonymous(${params.join(',')}\n) {\n${body}\n})`) as typeof fn;
  } catch (e) {
    // SES refuses, by pattern, source that contains `import(` or an HTML comment (<!-- or -->).
    const code = /\((SES_[A-Z_]+)\)/.exec(String((e as Error)?.message))?.[1];
    if (code === 'SES_IMPORT_REJECTED') throw new SyntaxError("Cells can import only from 'attention-lab', with an import statement; import(…) is not available while the instructor regrades");
    if (code === 'SES_HTML_COMMENT_REJECTED') throw new SyntaxError('the character sequences <!-- and --> are not allowed while the instructor regrades (write `x-- > 0` with a space)');
    throw e;
  }
  return (_require, ...rest) => fn(requireForGrading, ...rest);
};

const clip = (s: unknown) => {
  const text = typeof s === 'string' ? s : String(s);
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
};

/** A plain copy of the report with every text clipped (a message may quote the student's values). */
function plain(r: GradeReport): GradeReport {
  return {
    passed: r.passed,
    total: r.total,
    tests: r.tests.slice(0, 1000).map((t) => ({
      name: clip(t.name),
      passed: t.passed === true,
      ...(t.message !== undefined ? { message: clip(t.message) } : {}),
      ...(typeof t.line === 'number' ? { line: t.line } : {}),
      ...(t.hint !== undefined ? { hint: clip(t.hint) } : {}),
    })),
    ...(r.error ? { error: { name: clip(r.error.name), message: clip(r.error.message), where: r.error.where, ...(typeof r.error.line === 'number' ? { line: r.error.line } : {}) } } : {}),
  };
}

send({ ready: true });
for (const [index, job] of jobs.entries()) {
  let report: GradeReport;
  try {
    report = plain(await gradeCode({ ...job, console: quiet, host, compile: compileInCompartment }));
  } catch (e) {
    // A thrown value that breaks the grader's own explanation (a hostile getter, say) is a 0.
    let why = 'the grader could not describe the failure';
    try {
      why = clip((e as Error)?.message);
    } catch {
      /* keep the generic reason */
    }
    report = { passed: 0, total: 1, tests: [], error: { name: 'Error', message: why, where: 'your code' } };
  }
  for (const t of timers.values()) clearTimeout(t);
  timers.clear();
  send({ index, report });
}
process.exit(0);
