// Views and data movement: reshape, permute, expand, slice, cat and friends.
import type { DType } from '../dtype.ts';
import { promote } from '../dtype.ts';
import { fmtShape, normDim, opError, sizeOf } from '../shape.ts';
import { Tensor } from '../tensor.ts';
import { castP, catP, expandP, padP, permuteP, reshapeP, sliceP } from '../primitives.ts';
import { tidy } from '../memory.ts';
import { arange } from './creation.ts';
import { ge, le, sub, where } from './elementwise.ts';

function live(op: string, x: Tensor): void {
  if (!(x instanceof Tensor)) throw opError(op, `expected a Tensor, got ${x === null ? 'null' : typeof x}`);
  x._assertLive(op);
}

/** Accept f(x, [2, 3]) and f(x, 2, 3). */
function dimsArg(args: (number | readonly number[])[]): number[] {
  if (args.length === 1 && Array.isArray(args[0])) return [...(args[0] as number[])];
  return args as number[];
}

export function reshape(x: Tensor, ...shapeArgs: (number | readonly number[])[]): Tensor {
  live('reshape', x);
  const shape = dimsArg(shapeArgs);
  const n = x.size;
  const infer = shape.indexOf(-1);
  if (shape.filter((d) => d === -1).length > 1) throw opError('reshape', `only one dimension can be -1, got ${fmtShape(shape)}`);
  for (const d of shape) if (!Number.isInteger(d) || d < -1) throw opError('reshape', `invalid size ${d} in ${fmtShape(shape)}`);
  if (infer >= 0) {
    const known = sizeOf(shape.filter((d) => d !== -1));
    if (known === 0 || n % known !== 0) {
      throw opError('reshape', `shape ${fmtShape(shape)} is invalid for input of size ${n} (shape ${fmtShape(x.shape)})`);
    }
    shape[infer] = n / known;
  }
  if (sizeOf(shape) !== n) throw opError('reshape', `shape ${fmtShape(shape)} is invalid for input of size ${n} (shape ${fmtShape(x.shape)})`);
  return reshapeP(x, shape);
}

export const view = reshape;

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  live('flatten', x);
  if (x.ndim === 0) return reshapeP(x, [1]);
  const s = normDim('flatten', startDim, x.ndim);
  const e = normDim('flatten', endDim, x.ndim);
  if (s > e) throw opError('flatten', `startDim ${startDim} comes after endDim ${endDim}`);
  const shape = [...x.shape.slice(0, s), sizeOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshapeP(x, shape);
}

export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  live('unflatten', x);
  const d = normDim('unflatten', dim, x.ndim);
  return reshape(x, [...x.shape.slice(0, d), ...sizes, ...x.shape.slice(d + 1)]);
}

export function permute(x: Tensor, ...dimArgs: (number | readonly number[])[]): Tensor {
  live('permute', x);
  const dims = dimsArg(dimArgs);
  if (dims.length !== x.ndim) {
    throw opError('permute', `number of dims ${dims.length} does not match tensor rank ${x.ndim} (shape ${fmtShape(x.shape)})`);
  }
  const perm = dims.map((d) => normDim('permute', d, x.ndim));
  if (new Set(perm).size !== perm.length) throw opError('permute', `repeated dim in ${fmtShape(dims)}`);
  if (perm.every((p, i) => p === i)) return reshapeP(x, x.shape);
  return permuteP(x, perm);
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  live('transpose', x);
  if (x.ndim === 0) return reshapeP(x, []);
  const a = normDim('transpose', dim0, x.ndim);
  const b = normDim('transpose', dim1, x.ndim);
  const perm = x.shape.map((_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}

export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  live('squeeze', x);
  let dims: number[];
  if (dim === undefined) dims = x.shape.map((_, i) => i).filter((i) => x.shape[i] === 1);
  else dims = (typeof dim === 'number' ? [dim] : [...dim]).map((d) => normDim('squeeze', d, Math.max(x.ndim, 1))).filter((d) => x.shape[d] === 1);
  return reshapeP(x, x.shape.filter((_, i) => !dims.includes(i)));
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  live('unsqueeze', x);
  const d = normDim('unsqueeze', dim, x.ndim, true);
  return reshapeP(x, [...x.shape.slice(0, d), 1, ...x.shape.slice(d)]);
}

/** Broadcast to a larger shape (copying); -1 keeps a size; new leading dims may be added. */
export function expand(x: Tensor, ...sizeArgs: (number | readonly number[])[]): Tensor {
  live('expand', x);
  const sizes = dimsArg(sizeArgs);
  if (sizes.length < x.ndim) {
    throw opError('expand', `the number of sizes (${sizes.length}) must be at least the tensor rank (${x.ndim}): cannot expand ${fmtShape(x.shape)} to ${fmtShape(sizes)}`);
  }
  const lead = sizes.length - x.ndim;
  const target = sizes.map((s, i) => {
    const cur = i >= lead ? x.shape[i - lead] : 1;
    if (s === -1) {
      if (i < lead) throw opError('expand', `-1 is not allowed for a new leading dim (${fmtShape(sizes)})`);
      return cur;
    }
    if (!Number.isInteger(s) || s < 0) throw opError('expand', `invalid size ${s} in ${fmtShape(sizes)}`);
    if (cur !== 1 && cur !== s) {
      throw opError('expand', `cannot expand ${fmtShape(x.shape)} to ${fmtShape(sizes)}: dim ${i} has size ${cur} and only size-1 dims can expand`);
    }
    return s;
  });
  const src = lead > 0 ? reshapeP(x, [...new Array<number>(lead).fill(1), ...x.shape]) : x;
  try {
    if (target.every((s, i) => s === src.shape[i])) return reshapeP(src, target);
    return expandP(src, target);
  } finally {
    if (src !== x) src.dispose();
  }
}

export const broadcastTo = expand;

export function expandAs(x: Tensor, other: Tensor): Tensor {
  return expand(x, other.shape);
}

/** Python-style slice of one dim: start/end may be negative or out of range (clamped). */
export function slice(x: Tensor, dim: number, start: number | null = 0, end: number | null = null, step = 1): Tensor {
  live('slice', x);
  const d = normDim('slice', dim, x.ndim);
  const n = x.shape[d];
  if (!Number.isInteger(step) || step <= 0) throw opError('slice', `step must be a positive integer, got ${step}`);
  const norm = (v: number | null, dflt: number): number => {
    if (v === null || v === undefined) return dflt;
    if (!Number.isInteger(v)) throw opError('slice', `indices must be integers, got ${v}`);
    const w = v < 0 ? v + n : v;
    return Math.min(Math.max(w, 0), n);
  };
  const s = norm(start, 0);
  const e = Math.max(norm(end, n), s);
  const len = Math.ceil((e - s) / step);
  const starts = x.shape.map(() => 0);
  const steps = x.shape.map(() => 1);
  const shape = [...x.shape];
  starts[d] = s;
  steps[d] = step;
  shape[d] = len;
  if (s === 0 && len === n && step === 1) return reshapeP(x, x.shape);
  return sliceP(x, { starts, steps, shape });
}

export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  live('narrow', x);
  const d = normDim('narrow', dim, x.ndim);
  const n = x.shape[d];
  const s = start < 0 ? start + n : start;
  if (s < 0 || length < 0 || s + length > n) {
    throw opError('narrow', `start ${start} + length ${length} exceeds dim ${dim} of size ${n} (shape ${fmtShape(x.shape)})`);
  }
  return slice(x, d, s, s + length);
}

/** x[..., i, ...] along dim: removes that dim. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  live('select', x);
  const d = normDim('select', dim, x.ndim);
  const n = x.shape[d];
  if (!Number.isInteger(index) || index < -n || index >= n) {
    throw opError('select', `index ${index} out of range for dim ${dim} of size ${n} (shape ${fmtShape(x.shape)})`);
  }
  const i = index < 0 ? index + n : index;
  return tidy(() => reshapeP(slice(x, d, i, i + 1), x.shape.filter((_, k) => k !== d)));
}

function sameDtype(op: string, xs: Tensor[]): { ts: Tensor[]; temps: Tensor[] } {
  const dtype: DType = xs.map((t) => t.dtype).reduce((a, b) => (a === b ? a : promote(a, b)));
  const temps: Tensor[] = [];
  const ts = xs.map((t) => {
    if (t.dtype === dtype) return t;
    const c = castP(t, dtype);
    temps.push(c);
    return c;
  });
  void op;
  return { ts, temps };
}

export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw opError('cat', 'expected a non-empty array of tensors');
  tensors.forEach((t) => live('cat', t));
  const ref = tensors[0];
  const d = normDim('cat', dim, ref.ndim);
  for (const t of tensors) {
    if (t.ndim !== ref.ndim || t.shape.some((s: number, i: number) => i !== d && s !== ref.shape[i])) {
      throw opError('cat', `tensors must have the same shape except in dim ${dim}; got ${tensors.map((u) => fmtShape(u.shape)).join(', ')}`);
    }
  }
  const { ts, temps } = sameDtype('cat', [...tensors]);
  try {
    return catP(ts, d);
  } finally {
    temps.forEach((t) => t.dispose());
  }
}

export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw opError('stack', 'expected a non-empty array of tensors');
  tensors.forEach((t) => live('stack', t));
  const ref = tensors[0];
  for (const t of tensors) {
    if (t.ndim !== ref.ndim || t.shape.some((s: number, i: number) => s !== ref.shape[i])) {
      throw opError('stack', `all tensors must have the same shape; got ${tensors.map((u) => fmtShape(u.shape)).join(', ')}`);
    }
  }
  const d = normDim('stack', dim, ref.ndim, true);
  return tidy(() => cat(tensors.map((t) => unsqueeze(t, d)), d));
}

/** split(x, 2) → chunks of size 2 (last may be smaller); split(x, [1, 3]) → those sizes. */
export function split(x: Tensor, splitSizeOrSections: number | readonly number[], dim = 0): Tensor[] {
  live('split', x);
  const d = normDim('split', dim, x.ndim);
  const n = x.shape[d];
  let sizes: number[];
  if (typeof splitSizeOrSections === 'number') {
    const s = splitSizeOrSections;
    if (!Number.isInteger(s) || s <= 0) throw opError('split', `split size must be a positive integer, got ${s}`);
    sizes = [];
    for (let at = 0; at < n; at += s) sizes.push(Math.min(s, n - at));
    if (n === 0) sizes = [0];
  } else {
    sizes = [...splitSizeOrSections];
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== n) throw opError('split', `sizes ${fmtShape(sizes)} sum to ${total} but dim ${dim} has size ${n}`);
  }
  let at = 0;
  return sizes.map((s) => {
    const out = slice(x, d, at, at + s);
    at += s;
    return out;
  });
}

export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  live('chunk', x);
  if (!Number.isInteger(chunks) || chunks <= 0) throw opError('chunk', `chunks must be a positive integer, got ${chunks}`);
  const d = normDim('chunk', dim, x.ndim);
  const size = Math.max(1, Math.ceil(x.shape[d] / chunks));
  return split(x, size, d);
}

/** Every tensor here is contiguous; this returns a new handle on the same data. */
export function contiguous(x: Tensor): Tensor {
  live('contiguous', x);
  return reshapeP(x, x.shape);
}

export function clone(x: Tensor): Tensor {
  live('clone', x);
  return castP(x, x.dtype);
}

export function to(x: Tensor, dtype: DType): Tensor {
  live('to', x);
  if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') {
    throw opError('to', `unknown dtype ${JSON.stringify(dtype)} (expected 'float32', 'int32' or 'bool')`);
  }
  return dtype === x.dtype ? reshapeP(x, x.shape) : castP(x, dtype);
}

/**
 * Constant padding, torch order: pad = [lastLeft, lastRight, prevLeft, prevRight, ...].
 */
export function pad(x: Tensor, padding: readonly number[], value = 0): Tensor {
  live('pad', x);
  if (padding.length % 2 !== 0 || padding.length / 2 > x.ndim) {
    throw opError('pad', `padding length ${padding.length} must be even and at most 2×rank (${2 * x.ndim})`);
  }
  for (const p of padding) if (!Number.isInteger(p) || p < 0) throw opError('pad', `padding sizes must be non-negative integers, got ${fmtShape(padding)}`);
  const pads: [number, number][] = x.shape.map(() => [0, 0]);
  for (let i = 0; i < padding.length / 2; i++) pads[x.ndim - 1 - i] = [padding[2 * i], padding[2 * i + 1]];
  return padP(x, pads, value);
}

/** Tile the tensor: repeat(x, [2, 1]) stacks two copies along dim 0 (torch.Tensor.repeat). */
export function repeat(x: Tensor, ...repArgs: (number | readonly number[])[]): Tensor {
  live('repeat', x);
  const reps = dimsArg(repArgs);
  if (reps.length < x.ndim) throw opError('repeat', `number of repeats (${reps.length}) must be at least the rank (${x.ndim})`);
  const shape = [...new Array<number>(reps.length - x.ndim).fill(1), ...x.shape];
  return tidy(() => {
    const inter = reshape(x, shape.flatMap((s) => [1, s]));
    const big = expand(inter, shape.flatMap((s, i) => [reps[i], s]));
    return reshape(big, shape.map((s, i) => s * reps[i]));
  });
}

function triMask(op: string, x: Tensor, diagonal: number, lower: boolean): Tensor {
  live(op, x);
  if (x.ndim < 2) throw opError(op, `expected a tensor with at least 2 dims, got shape ${fmtShape(x.shape)}`);
  const [r, c] = x.shape.slice(-2);
  return tidy(() => {
    const rows = reshape(arange(r), [r, 1]);
    const cols = reshape(arange(c), [1, c]);
    const diff = sub(cols, rows); // j - i
    const keep = lower ? le(diff, diagonal) : ge(diff, diagonal);
    return where(keep, x, x.dtype === 'bool' ? false : 0);
  });
}

/** Lower triangle (j - i <= diagonal), zero elsewhere; applies to the last two dims. */
export const tril = (x: Tensor, diagonal = 0): Tensor => triMask('tril', x, diagonal, true);
/** Upper triangle (j - i >= diagonal), zero elsewhere. */
export const triu = (x: Tensor, diagonal = 0): Tensor => triMask('triu', x, diagonal, false);
