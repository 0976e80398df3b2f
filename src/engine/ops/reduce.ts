// Reductions over one, several or all dims, with keepdim.
import type { ReduceOp } from '../backend.ts';
import { fmtShape, normDim, normDims, opError } from '../shape.ts';
import { Tensor } from '../tensor.ts';
import { castP, fillP, reduceP, reshapeP } from '../primitives.ts';
import { noGrad } from '../autograd.ts';
import { tidy } from '../memory.ts';
import { add, div, isinf, log, exp, mul, neg, sqrt, sub, where } from './elementwise.ts';

export type DimArg = number | readonly number[] | null | undefined;

function live(op: string, x: Tensor): void {
  if (!(x instanceof Tensor)) throw opError(op, `expected a Tensor, got ${x === null ? 'null' : typeof x}`);
  x._assertLive(op);
}

function dimsOf(op: string, x: Tensor, dim: DimArg): number[] {
  return normDims(op, dim === null ? undefined : dim, x.ndim);
}

function reduce(op: ReduceOp, x: Tensor, dim: DimArg, keepdim: boolean): Tensor {
  live(op, x);
  const dims = dimsOf(op, x, dim);
  for (const d of dims) {
    if (x.shape[d] === 0 && op !== 'sum') {
      throw opError(op, `cannot reduce over dim ${d} of size 0 (shape ${fmtShape(x.shape)})`);
    }
  }
  if (x.dtype === 'bool') {
    const xi = castP(x, 'int32');
    try { return reduceP(op, xi, dims, keepdim); } finally { xi.dispose(); }
  }
  return reduceP(op, x, dims, keepdim);
}

/** Sum over dim (a number, a list, or all dims when omitted). bool/int sum to int32. */
export const sum = (x: Tensor, dim?: DimArg, keepdim = false): Tensor => reduce('sum', x, dim, keepdim);

/** Largest values over dim (gradient shared among ties, like torch.amax). */
export const max = (x: Tensor, dim?: DimArg, keepdim = false): Tensor => reduce('max', x, dim, keepdim);

export function min(x: Tensor, dim?: DimArg, keepdim = false): Tensor {
  live('min', x);
  if (x.dtype === 'bool') return reduce('min', x, dim, keepdim);
  return tidy(() => neg(reduce('max', neg(x), dim, keepdim)));
}

function countOf(x: Tensor, dims: number[]): number {
  return dims.reduce((n, d) => n * x.shape[d], 1);
}

export function mean(x: Tensor, dim?: DimArg, keepdim = false): Tensor {
  live('mean', x);
  const dims = dimsOf('mean', x, dim);
  return tidy(() => {
    const xf = x.dtype === 'float32' ? x : castP(x, 'float32');
    return div(reduceP('sum', xf, dims, keepdim), countOf(x, dims));
  });
}

function argReduce(op: 'argmax' | 'argmin', x: Tensor, dim: number | null | undefined, keepdim: boolean): Tensor {
  live(op, x);
  if (dim === undefined || dim === null) {
    if (x.size === 0) throw opError(op, 'cannot take the arg of an empty tensor');
    return tidy(() => {
      const r = reduce(op, reshapeP(x, [x.size]), 0, false);
      return keepdim ? reshapeP(r, x.shape.map(() => 1)) : r;
    });
  }
  const d = normDim(op, dim, Math.max(x.ndim, 1));
  if (x.ndim === 0) return fillP([], 'int32', 0, x._storage.backend);
  return reduce(op, x, d, keepdim);
}

/** Index (int32) of the first largest value along dim, or in the flattened tensor. */
export const argmax = (x: Tensor, dim?: number | null, keepdim = false): Tensor => argReduce('argmax', x, dim, keepdim);
export const argmin = (x: Tensor, dim?: number | null, keepdim = false): Tensor => argReduce('argmin', x, dim, keepdim);

export interface VarOptions {
  /** Bessel's correction: true divides by N-1 (default, like torch), false by N. */
  unbiased?: boolean;
  /** Explicit divisor offset N - correction (overrides unbiased). */
  correction?: number;
  keepdim?: boolean;
}

function varOpts(o: boolean | VarOptions | undefined): Required<Pick<VarOptions, 'keepdim'>> & { correction: number } {
  if (typeof o === 'boolean') return { keepdim: o, correction: 1 };
  const opts = o ?? {};
  return { keepdim: opts.keepdim ?? false, correction: opts.correction ?? (opts.unbiased === false ? 0 : 1) };
}

/** Variance over dim; third argument is keepdim or { unbiased, correction, keepdim }. */
export function variance(x: Tensor, dim?: DimArg, opts?: boolean | VarOptions): Tensor {
  live('var', x);
  const { keepdim, correction } = varOpts(opts);
  const dims = dimsOf('var', x, dim);
  const n = countOf(x, dims);
  return tidy(() => {
    const xf = x.dtype === 'float32' ? x : castP(x, 'float32');
    const rough = sub(xf, div(reduceP('sum', xf, dims, true), n));
    // a second centring pass removes the float32 rounding of the mean (large offsets)
    const centered = sub(rough, div(reduceP('sum', rough, dims, true), n));
    return div(reduceP('sum', mul(centered, centered), dims, keepdim), Math.max(n - correction, 0));
  });
}

export function std(x: Tensor, dim?: DimArg, opts?: boolean | VarOptions): Tensor {
  live('std', x);
  return tidy(() => sqrt(variance(x, dim, opts)));
}

/** log Σ exp(x) over dim, stable for large logits; rows of all -inf give -inf (torch). */
export function logsumexp(x: Tensor, dim?: DimArg, keepdim = false): Tensor {
  live('logsumexp', x);
  const dims = dimsOf('logsumexp', x, dim);
  return tidy(() => {
    const xf = x.dtype === 'float32' ? x : castP(x, 'float32');
    // the shift is a constant for the gradient, so compute it outside the graph
    const shift = noGrad(() => {
      const m = reduceP('max', xf, dims, true);
      return where(isinf(m), 0, m);
    });
    const s = log(reduceP('sum', exp(sub(xf, shift)), dims, true));
    const out = add(s, shift);
    return keepdim ? out : reshapeP(out, x.shape.filter((_, i) => !dims.includes(i)));
  });
}

/** True where any / all elements along dim are non-zero. */
export function any(x: Tensor, dim?: DimArg, keepdim = false): Tensor {
  live('any', x);
  return tidy(() => castP(reduce('max', castP(x, 'bool'), dim, keepdim), 'bool'));
}
export function all(x: Tensor, dim?: DimArg, keepdim = false): Tensor {
  live('all', x);
  return tidy(() => castP(reduce('min', castP(x, 'bool'), dim, keepdim), 'bool'));
}
