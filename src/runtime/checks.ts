// The checks an exercise's tests call (`check.shape`, `check.close`, …). Each failure is a
// CheckFailure whose message says, in a student's words, what was expected and what came instead.
// Pure: the page's worker and the instructor's regrader (Node) run the same checks.
import { Tensor, noGrad, tensor } from '../engine/index.ts';
import { LOOP_FORMS, findLoops, findWord, functionSpan, blankCommentsAndStrings } from './checks-source.ts';

/** A test's expectation was not met. The message is shown to the student as it is. */
export class CheckFailure extends Error {
  override name = 'CheckFailure';
}

type Numeric = Tensor | number | boolean | ArrayLike<number> | readonly Numeric[];

export interface CloseOptions {
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance, times |expected| (default 1e-4). Passes when |a − e| ≤ atol + rtol·|e|. */
  rtol?: number;
  /** What the values are, for the message: 'the attention weights'. */
  what?: string;
}

export interface ShapeOptions {
  /** Said when the shape is the expected one in another order, e.g. 'did you transpose the keys?'. */
  ifPermuted?: string;
}

export interface GradOptions {
  /** Names of the inputs, for messages (default: input 1, input 2, …). */
  names?: string[];
  /** Tolerances for autograd vs. central finite differences (defaults 1e-2 and 5e-2). */
  atol?: number;
  rtol?: number;
  /** Step of the finite differences (default 1e-2). */
  eps?: number;
}

export interface Checks {
  /** Fails unless `cond` is truthy; `message` is what the student reads. */
  that(cond: unknown, message: string): void;
  /** `t` is a Tensor of exactly this shape. Explains permuted, missing, extra and reshaped dimensions. */
  shape(t: unknown, expected: readonly number[], what?: string, opts?: ShapeOptions): void;
  /** `t` is a Tensor of this dtype. */
  dtype(t: unknown, expected: string, what?: string): void;
  /** Every element of `actual` is within atol + rtol·|expected| of `expected`; names the worst one. Await it. */
  close(actual: unknown, expected: Numeric, opts?: CloseOptions): Promise<void>;
  /** No NaN or ±Infinity in `t`. Await it. */
  finite(t: unknown, what?: string): Promise<void>;
  /**
   * `fn(...inputs)` gives a scalar whose gradients (by autograd) reach every input and match
   * central finite differences. Inputs are copied; the originals are not touched. Await it.
   */
  grad(fn: (...inputs: Tensor[]) => unknown, inputs: Numeric[], opts?: GradOptions): Promise<void>;
  /** Plain values (numbers, strings, arrays, objects) are deeply equal. */
  equal(actual: unknown, expected: unknown, what?: string): void;
  /** The reader's code has no loop (see LOOP_FORMS), in the whole code or in one named function. */
  noLoops(opts?: { in?: string; message?: string }): void;
  /** The reader's code uses `word` (a name like 'matmul', or '.softmax('), outside comments and strings. */
  uses(word: string, message?: string): void;
  /** The reader's code does not use `word` outside comments and strings. */
  avoids(word: string, message?: string): void;
}

export interface CheckContext {
  /** The reader's code, for the source checks. */
  source: string;
  /** Async checks register here so the grader can await one a test forgot to await. */
  track(p: Promise<unknown>): void;
}

const fmtShape = (s: readonly number[]) => `[${s.join(', ')}]`;

/** Short, exact-enough numbers: 0.25, -1.5e-7, 3.14159. */
export function fmtNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return '0';
  const a = Math.abs(x);
  const s = a >= 1e-4 && a < 1e6 ? String(Number(x.toPrecision(6))) : x.toExponential(3).replace(/\.?0+e/, 'e');
  return s;
}

function describe(v: unknown): string {
  if (v instanceof Tensor) return `a Tensor of shape ${fmtShape(v.shape)}`;
  if (v === undefined) return 'undefined (did the function forget to `return` its result?)';
  if (v === null) return 'null';
  if (v instanceof Promise) return 'a Promise (a function marked `async` returns a promise — `await` it, or drop `async` if nothing inside needs it)';
  if (Array.isArray(v)) return `a plain array of length ${v.length}, not a Tensor (wrap it with tensor(...))`;
  if (typeof v === 'number') return `the number ${fmtNumber(v)}, not a Tensor`;
  return `${typeof v === 'object' ? (v.constructor?.name ?? 'an object') : `a ${typeof v}`}`;
}

function mustBeTensor(t: unknown, what: string): Tensor {
  if (t instanceof Tensor) {
    if (t.isDisposed) throw new CheckFailure(`${what} is a Tensor that was already disposed — return a tensor you did not dispose() or create inside tidy() without keep().`);
    return t;
  }
  throw new CheckFailure(`expected ${what} to be a Tensor, got ${describe(t)}`);
}

/** Why two shapes differ, in words: permutation, missing/extra dimension, same size, other. */
export function explainShape(got: readonly number[], expected: readonly number[], ifPermuted?: string): string {
  const base = `expected shape ${fmtShape(expected)}, got ${fmtShape(got)}`;
  const sorted = (s: readonly number[]) => [...s].sort((a, b) => a - b).join(',');
  if (got.length === expected.length && sorted(got) === sorted(expected)) {
    const differing = got.flatMap((d, i) => (d !== expected[i] ? [i] : []));
    const which = differing.length === 2
      ? `dimensions ${differing[0]} and ${differing[1]} are swapped`
      : `dimensions ${differing.join(', ')} are in another order`;
    return `${base} — the right sizes in the wrong order (${which}); ${ifPermuted ?? 'did you transpose the wrong tensor, or multiply in the wrong order?'}`;
  }
  const without1 = (s: readonly number[]) => s.filter((d) => d !== 1).join(',');
  if (got.length !== expected.length && without1(got) === without1(expected)) {
    return got.length > expected.length
      ? `${base} — an extra dimension of size 1; did you keep a reduced dimension (keepdim) or unsqueeze once too often? squeeze() removes it`
      : `${base} — a dimension of size 1 is missing; unsqueeze() adds one (e.g. for broadcasting)`;
  }
  if (got.length === expected.length - 1 && fmtShape(got) === fmtShape(expected.slice(1))) {
    return `${base} — the first (batch) dimension is missing; did the code handle one example instead of the whole batch?`;
  }
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  if (size(got) === size(expected)) {
    return `${base} — the same number of elements arranged differently; check any reshape/view, and the order of matmul's arguments`;
  }
  if (got.length !== expected.length) {
    return `${base} — ${got.length} dimension${got.length === 1 ? '' : 's'} instead of ${expected.length}`;
  }
  const first = got.findIndex((d, i) => d !== expected[i]);
  return `${base} — dimension ${first} has size ${got[first]} instead of ${expected[first]}`;
}

async function toFlat(v: unknown, what: string): Promise<{ shape: number[]; values: ArrayLike<number> }> {
  if (v instanceof Tensor) {
    mustBeTensor(v, what);
    return { shape: [...v.shape], values: Array.from(await v.data(), Number) };
  }
  if (typeof v === 'number' || typeof v === 'boolean') return { shape: [], values: [Number(v)] };
  if (ArrayBuffer.isView(v)) return { shape: [(v as unknown as ArrayLike<number>).length], values: v as unknown as ArrayLike<number> };
  if (Array.isArray(v)) {
    let t: Tensor;
    try {
      t = tensor(v as never);
    } catch (e) {
      throw new CheckFailure(`${what} could not be read as numbers: ${(e as Error).message}`);
    }
    const out = { shape: [...t.shape], values: Array.from(await t.data(), Number) };
    t.dispose();
    return out;
  }
  throw new CheckFailure(`expected ${what} to be a Tensor or numbers, got ${describe(v)}`);
}

function indexOf(flat: number, shape: readonly number[]): string {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(flat % shape[d]!);
    flat = Math.floor(flat / shape[d]!);
  }
  return fmtShape(idx);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function preview(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 120 ? `${s.slice(0, 117)}…` : s;
  } catch {
    return String(v);
  }
}

export function createChecks(ctx: CheckContext): Checks {
  const tracked = <T>(p: Promise<T>): Promise<T> => {
    ctx.track(p);
    return p;
  };

  const checks: Checks = {
    that(cond, message) {
      if (!cond) throw new CheckFailure(message);
    },

    shape(t, expected, what = 'the result', opts = {}) {
      const x = mustBeTensor(t, what);
      if (fmtShape(x.shape) !== fmtShape(expected)) {
        throw new CheckFailure(`${what}: ${explainShape(x.shape, expected, opts.ifPermuted)}`);
      }
    },

    dtype(t, expected, what = 'the result') {
      const x = mustBeTensor(t, what);
      if (x.dtype !== expected) {
        const hint = expected === 'float32' ? ' — comparisons give bool tensors and argmax gives int32; .float() converts' : '';
        throw new CheckFailure(`${what}: expected dtype ${expected}, got ${x.dtype}${hint}`);
      }
    },

    close(actual, expected, opts = {}) {
      return tracked(
        (async () => {
          const what = opts.what ?? 'the result';
          const atol = opts.atol ?? 1e-5;
          const rtol = opts.rtol ?? 1e-4;
          if (actual instanceof Tensor) mustBeTensor(actual, what);
          else if (!(typeof actual === 'number' || Array.isArray(actual) || ArrayBuffer.isView(actual))) {
            throw new CheckFailure(`expected ${what} to be a Tensor, got ${describe(actual)}`);
          }
          const e = await toFlat(expected, 'the expected value');
          const a = await toFlat(actual, what);
          if (fmtShape(a.shape) !== fmtShape(e.shape)) throw new CheckFailure(`${what}: ${explainShape(a.shape, e.shape)}`);
          let worst = -1;
          let worstExcess = 0;
          let bad = 0;
          for (let i = 0; i < e.values.length; i++) {
            const av = a.values[i]!;
            const ev = e.values[i]!;
            if (Number.isNaN(av) && !Number.isNaN(ev)) {
              throw new CheckFailure(`${what} contains NaN at index ${indexOf(i, e.shape)} (expected ${fmtNumber(ev)}) — often 0/0, the log of a negative number, or a softmax over a row that is all -Infinity`);
            }
            const diff = Math.abs(av - ev);
            const allowed = atol + rtol * Math.abs(ev);
            if (!(diff <= allowed) && !(av === ev)) {
              bad++;
              const excess = Number.isFinite(diff) ? diff - allowed : Infinity;
              if (worst < 0 || excess > worstExcess) {
                worst = i;
                worstExcess = excess;
              }
            }
          }
          if (worst >= 0) {
            const av = a.values[worst]!;
            const ev = e.values[worst]!;
            const detail = `expected ${fmtNumber(ev)}, got ${fmtNumber(av)} (off by ${fmtNumber(Math.abs(av - ev))}; allowed ${fmtNumber(atol + rtol * Math.abs(ev))})`;
            throw new CheckFailure(
              e.values.length === 1
                ? `${what}: ${detail}`
                : `${what}: ${bad} of ${e.values.length} values are off; the worst is at index ${indexOf(worst, e.shape)}: ${detail}`,
            );
          }
        })(),
      );
    },

    finite(t, what = 'the result') {
      return tracked(
        (async () => {
          const x = mustBeTensor(t, what);
          const values = await x.data();
          for (let i = 0; i < values.length; i++) {
            const v = Number(values[i]);
            if (!Number.isFinite(v)) {
              const where = x.ndim === 0 ? '' : ` at index ${indexOf(i, x.shape)}`;
              throw new CheckFailure(`${what} has ${fmtNumber(v)}${where} — often 0/0 (exponentials that all underflowed to 0, divided by their sum: softmax avoids this), exp of a large number, or the log of 0`);
            }
          }
        })(),
      );
    },

    grad(fn, inputs, opts = {}) {
      return tracked(
        (async () => {
          const atol = opts.atol ?? 1e-2;
          const rtol = opts.rtol ?? 5e-2;
          const eps = opts.eps ?? 1e-2;
          const names = inputs.map((_, i) => opts.names?.[i] ?? `input ${i + 1}`);
          const leaves: Tensor[] = [];
          for (const [i, v] of inputs.entries()) {
            const { shape, values } = await toFlat(v, names[i]!);
            leaves.push(tensor(Float32Array.from(values), { shape, requiresGrad: true }));
          }
          const out = await fn(...leaves);
          if (!(out instanceof Tensor)) throw new CheckFailure(`expected the function to return a scalar Tensor, got ${describe(out)}`);
          if (out.size !== 1) throw new CheckFailure(`backward() needs a single number; the function returned shape ${fmtShape(out.shape)} — reduce it, e.g. with .sum() or .mean()`);
          if (!out.requiresGrad) {
            throw new CheckFailure(`no gradient reaches ${names.join(' or ')}: the result does not depend on ${inputs.length === 1 ? 'it' : 'them'} through tensor operations — did you turn a tensor into a plain number (await … .item(), .data()) or call detach()?`);
          }
          out.backward();
          for (const [i, leaf] of leaves.entries()) {
            const name = names[i]!;
            if (!leaf.grad) {
              throw new CheckFailure(`no gradient reached ${name} — it does not take part in the result through tensor operations (was it replaced by a plain number, or detached?)`);
            }
            const g = Array.from(await leaf.grad.data(), Number);
            const base = Array.from(await leaf.data(), Number);
            for (let k = 0; k < base.length; k++) {
              if (!Number.isFinite(g[k]!)) throw new CheckFailure(`the gradient for ${name} is ${fmtNumber(g[k]!)} at index ${indexOf(k, leaf.shape)}`);
              const at = (delta: number) =>
                noGrad(() => {
                  const moved = leaves.map((l, j) => {
                    if (j !== i) return l.detach();
                    const values = Float32Array.from(base);
                    values[k]! += delta;
                    return tensor(values, { shape: l.shape });
                  });
                  return fn(...moved);
                });
              const h = eps * Math.max(1, Math.abs(base[k]!));
              const plus = await (await at(h) as Tensor).item();
              const minus = await (await at(-h) as Tensor).item();
              const numeric = (plus - minus) / (2 * h);
              if (Math.abs(g[k]! - numeric) > atol + rtol * Math.abs(numeric)) {
                throw new CheckFailure(`the gradient for ${name}${leaf.ndim ? ` at index ${indexOf(k, leaf.shape)}` : ''} is ${fmtNumber(g[k]!)} by autograd, but the function changes at a rate of ${fmtNumber(numeric)} there — part of the computation is hidden from autograd`);
              }
            }
          }
        })(),
      );
    },

    equal(actual, expected, what = 'the result') {
      if (!deepEqual(actual, expected)) throw new CheckFailure(`${what}: expected ${preview(expected)}, got ${preview(actual)}`);
    },

    noLoops(opts = {}) {
      if (opts.in && !functionSpan(blankCommentsAndStrings(ctx.source), opts.in)) {
        throw new CheckFailure(`your code has no function called ${opts.in} — keep the name from the starter code`);
      }
      const loops = findLoops(ctx.source, opts.in);
      if (loops.length === 0) return;
      const where = loops.map((l) => `line ${l.line} (${l.kind})`).join(', ');
      const scope = opts.in ? `${opts.in} must not loop` : 'this exercise asks for code without loops';
      throw new CheckFailure(
        `${opts.message ?? `${scope} — one tensor operation (broadcasting, matmul, a reduction) handles every element at once`}. Found: ${where}. (Checked: ${LOOP_FORMS}.)`,
      );
    },

    uses(word, message) {
      if (findWord(ctx.source, word).length === 0) throw new CheckFailure(message ?? `your code should use ${word}`);
    },

    avoids(word, message) {
      const lines = findWord(ctx.source, word);
      if (lines.length) throw new CheckFailure(`${message ?? `your code should not use ${word}`} (line ${lines.join(', ')})`);
    },
  };
  return checks;
}
