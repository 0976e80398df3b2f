// Runs one cell of readers' TypeScript: transpile, bind the session, run, explain failures.
// Pure (no DOM, no worker API): the page's worker and the Node doc-tests share it.
import { transform } from 'sucrase';
import * as bookModule from './book-module.ts';
import { setCellHost, settleCellOutput, type CellHost } from './cell-api.ts';
import type { CellError } from './protocol.ts';
import { explainError } from './explain-error.ts';

/** The one specifier readers import the engine from, everywhere in the book. */
export const BOOK_MODULE = 'attention-lab';

/** Names earlier cells exported, visible to later cells of the same page. */
export type Session = Map<string, unknown>;

export interface CellConsole {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export type CellResult =
  | { ok: true; exported: string[] }
  | { ok: false; error: CellError };

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...args: unknown[]) => Promise<unknown>;

/**
 * Makes the cell's async function from its parameter names and body, laid out as the AsyncFunction
 * constructor lays them out (`(async function anonymous(a,b\n) {\nbody\n})`, so line numbers hold).
 * The default is that constructor; the instructor's regrader passes one that evaluates the code in
 * an SES Compartment (scripts/grade-worker.ts).
 */
export type CompileCell = (params: string[], body: string) => (...args: unknown[]) => Promise<unknown>;

/** Lines the Function constructor and our wrapper add above the reader's first line. */
const HEADER = '"use strict";\n{\n';
let bodyLineOffset: number | undefined;

function require_(specifier: string): unknown {
  if (specifier === BOOK_MODULE) return bookModule;
  throw new Error(
    `Cells can import only from '${BOOK_MODULE}' (the book's engine and helpers); '${specifier}' is not available here.`,
  );
}

/** TypeScript → JavaScript with line numbers kept, imports turned into `require`, exports into `exports.x`. */
export function transpileCell(code: string): string {
  return transform(code, {
    transforms: ['typescript', 'imports'],
    disableESTransforms: true,
    production: true,
  }).code;
}

/** Which line of the reader's code a stack frame of `cell:<id>` points at (1-based). */
function lineInCell(stack: string | undefined, sourceName: string): { line: number; column: number } | undefined {
  if (!stack) return undefined;
  const escaped = sourceName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(stack);
  if (!m) return undefined;
  const line = Number(m[1]) - measureOffset();
  return line >= 1 ? { line, column: Number(m[2]) } : undefined;
}

/** How many lines the engine puts before the body of a Function: measured once, not assumed. */
function measureOffset(): number {
  if (bodyLineOffset === undefined) {
    const probe = new Function(`${HEADER}throw new Error('probe');\n}\n//# sourceURL=offset-probe.js`);
    try {
      probe();
      bodyLineOffset = 0;
    } catch (e) {
      const m = /offset-probe\.js:(\d+)/.exec((e as Error).stack ?? '');
      bodyLineOffset = m ? Number(m[1]) - 1 : 0;
    }
  }
  return bodyLineOffset;
}

/**
 * Runs a cell. `session` holds what earlier cells exported: those names are in scope, and this
 * cell's exports are added to it. Never throws: failures come back as a CellError in plain words.
 */
export async function runCell(
  code: string,
  opts: {
    cellId: string;
    session: Session;
    console: CellConsole;
    host: CellHost;
    compile?: CompileCell;
    /** Awaited after the code returns, with the host still installed (the worker waits for the cell's timers). */
    settle?: () => Promise<void>;
  },
): Promise<CellResult> {
  const sourceName = cellSourceName(opts.cellId);
  let js: string;
  try {
    js = transpileCell(code);
  } catch (e) {
    return { ok: false, error: explainError(e, syntaxLocation(e)) };
  }
  const names = [...opts.session.keys()].filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
  const exportsObject: Record<string, unknown> = {};
  let fn: (...args: unknown[]) => Promise<unknown>;
  try {
    // The reader's code sits in a block, so its own declarations may shadow earlier cells' names.
    const params = ['require', 'exports', 'console', ...names];
    const body = `${HEADER}${js}\n}\n//# sourceURL=${sourceName}`;
    fn = opts.compile ? opts.compile(params, body) : new AsyncFunction(...params, body);
  } catch (e) {
    return { ok: false, error: explainError(e, syntaxLocation(e)) };
  }
  setCellHost(opts.host);
  try {
    await fn(require_, exportsObject, opts.console, ...names.map((n) => opts.session.get(n)));
    await opts.settle?.();
    await settleCellOutput();
  } catch (e) {
    await settleCellOutput().catch(() => undefined);
    return { ok: false, error: explainCellError(e, opts.cellId) };
  } finally {
    setCellHost(null);
  }
  const exported = Object.keys(exportsObject).filter((k) => k !== '__esModule');
  for (const k of exported) opts.session.set(k, exportsObject[k]);
  return { ok: true, exported };
}

/** The file name stack frames of a cell's code carry. */
function cellSourceName(cellId: string): string {
  return `cell-${cellId.replace(/[^\w-]/g, '_')}.ts`;
}

/** An exception from a cell's code (thrown in the cell, or later by its timers) in plain words, at the cell's line. */
export function explainCellError(e: unknown, cellId: string): CellError {
  let stack: string | undefined;
  try {
    stack = e instanceof Error && typeof e.stack === 'string' ? e.stack : undefined;
  } catch {
    stack = undefined;
  }
  return explainError(e, lineInCell(stack, cellSourceName(cellId)));
}

/** Sucrase reports syntax errors as "… (3:14)"; V8's Function constructor gives no position. */
function syntaxLocation(e: unknown): { line: number; column: number } | undefined {
  const m = /\((\d+):(\d+)\)\s*$/.exec(String((e as Error)?.message ?? ''));
  return m ? { line: Number(m[1]), column: Number(m[2]) + 1 } : undefined;
}
