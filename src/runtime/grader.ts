// Grades a reader's code against an exercise's tests. Pure (no DOM, no worker API): the page's cell
// worker and the instructor's regrader (Node worker_threads) call the same function, so a grade
// in the browser and a regrade on the instructor's machine cannot disagree.
//
// 1. The reader's code runs like a code cell, in a fresh session; what it exports is kept.
// 2. The tests block runs in a session holding those exports plus `test` and `check`; it only
//    registers tests: `test('rows sum to one', async () => { … })`.
// 3. Each test runs on its own: a failed check, or an exception, fails that test only. An exception
//    thrown inside the reader's code is reported with the reader's line.
import { runCell, type CellConsole, type CompileCell, type Session } from './execute.ts';
import type { CellHost } from './cell-api.ts';
import type { CellError } from './protocol.ts';
import { explainError } from './explain-error.ts';
import { CheckFailure, createChecks } from './checks.ts';

export interface TestOutcome {
  name: string;
  passed: boolean;
  /** Why it failed, in words a student understands. */
  message?: string;
  /** 1-based line of the reader's code where an exception was thrown, when it came from there. */
  line?: number;
  hint?: string;
}

export interface GradeReport {
  passed: number;
  total: number;
  tests: TestOutcome[];
  /** Set when no test could run: the reader's code (or, a bug, the tests block) failed first. */
  error?: CellError & { where: 'your code' | 'tests' };
}

export interface GradeInput {
  /** The reader's code. */
  code: string;
  /** The exercise's tests block. */
  tests: string;
  /** Names the reader's code must export (those the starter exports). */
  expectedExports?: readonly string[];
  console: CellConsole;
  host: CellHost;
  /** How the reader's code (not the tests) becomes a function; see runCell. */
  compile?: CompileCell;
}

/** The cell id the reader's code runs under; stack frames of that code name this source. */
const CODE_CELL_ID = 'your-code';
const CODE_SOURCE = `cell-${CODE_CELL_ID}.ts`;
const silentHost: CellHost = { plot() {}, progress() {} };
let lineOffset: number | undefined;

/** How many lines the runtime puts before a cell's first line, measured with a probe cell. */
async function measureLineOffset(con: CellConsole): Promise<number> {
  if (lineOffset !== undefined) return lineOffset;
  const probe: Session = new Map();
  await runCell('export const stack = new Error().stack;', { cellId: 'grader-probe', session: probe, console: con, host: silentHost });
  const m = /cell-grader-probe\.ts:(\d+)/.exec(String(probe.get('stack') ?? ''));
  lineOffset = m ? Number(m[1]) - 1 : 0;
  return lineOffset;
}

/** The reader's line an exception came from: the innermost stack frame in the reader's code. */
function readerLine(error: unknown, offset: number): number | undefined {
  const stack = (error as Error | undefined)?.stack;
  if (typeof stack !== 'string') return undefined;
  const m = new RegExp(`${CODE_SOURCE.replace(/[.-]/g, '\\$&')}:(\\d+):\\d+`).exec(stack);
  if (!m) return undefined;
  const line = Number(m[1]) - offset;
  return line >= 1 ? line : undefined;
}

/** Exported names of a module's source (`export function f`, `export const a = …, b = …`). */
export function exportedNames(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/^\s*export\s+(?:async\s+)?(?:function\s*\*?|class)\s+([A-Za-z_$][\w$]*)/gm)) names.add(m[1]!);
  for (const m of source.matchAll(/^\s*export\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)/gm)) names.add(m[1]!);
  for (const m of source.matchAll(/^\s*export\s*\{([^}]*)\}/gm)) {
    for (const part of m[1]!.split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop()?.trim();
      if (name && name !== 'type' && /^[A-Za-z_$][\w$]*$/.test(name)) names.add(name);
    }
  }
  return [...names];
}

interface RegisteredTest {
  name: string;
  fn: () => unknown;
}

export async function gradeCode(input: GradeInput): Promise<GradeReport> {
  const offset = await measureLineOffset(input.console);
  const session: Session = new Map();
  const codeResult = await runCell(input.code, { cellId: CODE_CELL_ID, session, console: input.console, host: input.host, compile: input.compile });

  let codeError: GradeReport['error'];
  if (!codeResult.ok) {
    codeError = { ...codeResult.error, where: 'your code' };
  } else {
    const missing = (input.expectedExports ?? []).filter((n) => !session.has(n));
    if (missing.length) {
      const list = missing.map((n) => `\`${n}\``).join(', ');
      codeError = {
        name: 'Missing export',
        message: `your code must export ${list} — keep \`export\` in front of ${missing.length === 1 ? 'it' : 'them'}, as in the starter code, so that the tests can call ${missing.length === 1 ? 'it' : 'them'}`,
        where: 'your code',
      };
    }
  }

  // The tests block runs even when the reader's code failed, to count (not run) its tests.
  const registered: RegisteredTest[] = [];
  const pending = new Set<Promise<unknown>>();
  const testSession: Session = new Map(session);
  testSession.set('test', (name: string, fn: () => unknown) => {
    if (typeof name !== 'string' || typeof fn !== 'function') throw new Error('test(name, fn): give a name and a function');
    registered.push({ name, fn });
  });
  testSession.set('check', createChecks({ source: input.code, track: (p) => { pending.add(p); p.catch(() => undefined); } }));
  const testsResult = await runCell(input.tests, { cellId: 'exercise-tests', session: testSession, console: input.console, host: silentHost });
  if (!testsResult.ok) {
    return {
      passed: 0,
      total: Math.max(1, registered.length),
      tests: [],
      error: { ...testsResult.error, message: `The exercise's tests could not run (a mistake in the exercise, not in your code): ${testsResult.error.message}`, where: 'tests' },
    };
  }
  if (codeError) {
    const message = 'not run: your code stopped with an error before the tests could use it';
    return { passed: 0, total: registered.length, tests: registered.map((t) => ({ name: t.name, passed: false, message })), error: codeError };
  }

  const tests: TestOutcome[] = [];
  for (const t of registered) {
    pending.clear();
    try {
      await t.fn();
      // A check the test forgot to await still counts.
      while (pending.size) {
        const all = [...pending];
        pending.clear();
        await Promise.all(all);
      }
      tests.push({ name: t.name, passed: true });
    } catch (e) {
      tests.push(failure(t.name, e, offset));
    }
  }
  return { passed: tests.filter((t) => t.passed).length, total: tests.length, tests };
}

function failure(name: string, e: unknown, offset: number): TestOutcome {
  if (e instanceof CheckFailure) return { name, passed: false, message: e.message };
  const line = readerLine(e, offset);
  const explained = explainError(e);
  const where = line ? `your code threw ${explained.name} on line ${line}` : `${explained.name}`;
  return {
    name,
    passed: false,
    message: `${where}: ${explained.message}`,
    ...(line ? { line } : {}),
    ...(explained.hint ? { hint: explained.hint } : {}),
  };
}

/** Points earned: the exercise's points times the fraction of tests passed, to two decimals. */
export function scoreOf(report: Pick<GradeReport, 'passed' | 'total'>, points: number): number {
  if (report.total === 0) return 0;
  return Math.round((points * report.passed * 100) / report.total) / 100;
}
