// Creating tensors from data, constants, ranges and random streams.
import type { DType, TypedArray } from '../dtype.ts';
import { allocTyped, dtypeOfTyped, isDType } from '../dtype.ts';
import { checkShape, fmtShape, opError, sizeOf } from '../shape.ts';
import { Tensor } from '../tensor.ts';
import { fillP, fromTyped } from '../primitives.ts';
import { defaultGenerator } from '../random.ts';
import type { Generator } from '../random.ts';

export type NestedData = number | boolean | readonly NestedData[];
export type TensorData = NestedData | TypedArray;

export interface TensorOptions {
  /** Shape to give flat data (typed array or flat list). Defaults to the nesting of `data`. */
  shape?: readonly number[];
  /** Defaults: typed array's own dtype; numbers → float32; booleans → bool. */
  dtype?: DType;
  requiresGrad?: boolean;
}

export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

function finish(t: Tensor, requiresGrad?: boolean): Tensor {
  if (requiresGrad) t.requiresGrad = true;
  return t;
}

function checkDType(op: string, dtype: unknown): DType {
  if (!isDType(dtype)) throw opError(op, `unknown dtype ${JSON.stringify(dtype)} (expected 'float32', 'int32' or 'bool')`);
  return dtype;
}

function inferShape(data: NestedData): number[] {
  const shape: number[] = [];
  let cur: NestedData = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  return shape;
}

function flattenNested(data: NestedData, shape: number[], out: (number | boolean)[], depth = 0): void {
  if (depth === shape.length) {
    if (Array.isArray(data)) throw opError('tensor', `ragged nested array: expected a number at depth ${depth}, got an array`);
    if (typeof data !== 'number' && typeof data !== 'boolean') {
      throw opError('tensor', `expected numbers or booleans, got ${typeof data} (${String(data)})`);
    }
    out.push(data as number | boolean);
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[depth]) {
    const got = Array.isArray(data) ? `length ${data.length}` : typeof data;
    throw opError('tensor', `ragged nested array: expected length ${shape[depth]} at depth ${depth}, got ${got}`);
  }
  for (const v of data) flattenNested(v, shape, out, depth + 1);
}

/** Make a tensor from nested arrays, a number/boolean, or a typed array (copied). */
export function tensor(data: TensorData, opts: TensorOptions = {}): Tensor {
  let flat: ArrayLike<number | boolean>;
  let shape: number[];
  let dtype: DType;
  if (ArrayBuffer.isView(data)) {
    flat = data as TypedArray;
    shape = opts.shape ? checkShape('tensor', opts.shape) : [data.length];
    dtype = opts.dtype ? checkDType('tensor', opts.dtype) : dtypeOfTyped(data as TypedArray);
  } else {
    const inferred = inferShape(data as NestedData);
    const values: (number | boolean)[] = [];
    flattenNested(data as NestedData, inferred, values);
    flat = values;
    shape = opts.shape ? checkShape('tensor', opts.shape) : inferred;
    dtype = opts.dtype ? checkDType('tensor', opts.dtype) : values.length > 0 && typeof values[0] === 'boolean' ? 'bool' : 'float32';
  }
  const n = sizeOf(shape);
  if (n !== flat.length) {
    throw opError('tensor', `shape ${fmtShape(shape)} needs ${n} elements but data has ${flat.length}`);
  }
  const typed = allocTyped(dtype, n);
  for (let i = 0; i < n; i++) {
    const v = flat[i];
    typed[i] = dtype === 'bool' ? (v ? 1 : 0) : dtype === 'int32' ? Math.trunc(Number(v)) : Number(v);
  }
  return finish(fromTyped(typed, shape, dtype), opts.requiresGrad);
}

/** A 0-d tensor. */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return tensor(value, { dtype });
}

type ShapeArg = readonly number[] | number;
const shapeOf = (op: string, s: ShapeArg): number[] => checkShape(op, typeof s === 'number' ? [s] : s);

export function full(shape: ShapeArg, value: number | boolean, opts: CreateOptions = {}): Tensor {
  const dtype = opts.dtype ? checkDType('full', opts.dtype) : typeof value === 'boolean' ? 'bool' : 'float32';
  return finish(fillP(shapeOf('full', shape), dtype, Number(value)), opts.requiresGrad);
}
export function zeros(shape: ShapeArg, opts: CreateOptions = {}): Tensor {
  return finish(fillP(shapeOf('zeros', shape), checkDType('zeros', opts.dtype ?? 'float32'), 0), opts.requiresGrad);
}
export function ones(shape: ShapeArg, opts: CreateOptions = {}): Tensor {
  return finish(fillP(shapeOf('ones', shape), checkDType('ones', opts.dtype ?? 'float32'), 1), opts.requiresGrad);
}
export function zerosLike(t: Tensor, opts: CreateOptions = {}): Tensor {
  t._assertLive('zerosLike');
  return zeros(t.shape, { dtype: opts.dtype ?? t.dtype, requiresGrad: opts.requiresGrad });
}
export function onesLike(t: Tensor, opts: CreateOptions = {}): Tensor {
  t._assertLive('onesLike');
  return ones(t.shape, { dtype: opts.dtype ?? t.dtype, requiresGrad: opts.requiresGrad });
}
export function fullLike(t: Tensor, value: number | boolean, opts: CreateOptions = {}): Tensor {
  t._assertLive('fullLike');
  return full(t.shape, value, { dtype: opts.dtype ?? t.dtype, requiresGrad: opts.requiresGrad });
}

/**
 * arange(end) / arange(start, end, step?) like torch: values start, start+step, ... < end.
 * dtype defaults to int32 when start, end and step are all integers, else float32.
 */
export function arange(start: number, end?: number, step = 1, opts: CreateOptions = {}): Tensor {
  if (end === undefined) { end = start; start = 0; }
  if (step === 0 || !Number.isFinite(step)) throw opError('arange', `step must be a non-zero finite number, got ${step}`);
  if ((end - start) / step < 0) throw opError('arange', `upper bound and step are inconsistent: start ${start}, end ${end}, step ${step}`);
  const n = Math.max(0, Math.ceil((end - start) / step));
  const dtype = opts.dtype ?? ([start, end, step].every(Number.isInteger) ? 'int32' : 'float32');
  const data = allocTyped(checkDType('arange', dtype), n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return finish(fromTyped(data, [n], dtype), opts.requiresGrad);
}

/** `steps` evenly spaced float32 values from start to end inclusive. */
export function linspace(start: number, end: number, steps: number, opts: CreateOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw opError('linspace', `steps must be a non-negative integer, got ${steps}`);
  const data = new Float32Array(steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  // fill from both ends like torch so the last value is exactly `end`
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) data[i] = i < half ? start + step * i : end - step * (steps - 1 - i);
  const t = fromTyped(data, [steps], 'float32');
  return finish(opts.dtype && opts.dtype !== 'float32' ? convert(t, opts.dtype) : t, opts.requiresGrad);
}

function convert(t: Tensor, dtype: DType): Tensor {
  const out = t.to(dtype);
  t.dispose();
  return out;
}

export function eye(n: number, m: number = n, opts: CreateOptions = {}): Tensor {
  const shape = checkShape('eye', [n, m]);
  const dtype = checkDType('eye', opts.dtype ?? 'float32');
  const data = allocTyped(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return finish(fromTyped(data, shape, dtype), opts.requiresGrad);
}

export interface RandomOptions extends CreateOptions {
  generator?: Generator;
}

/** Uniform [0, 1). */
export function rand(shape: ShapeArg, opts: RandomOptions = {}): Tensor {
  const s = shapeOf('rand', shape);
  const g = opts.generator ?? defaultGenerator;
  const data = new Float32Array(sizeOf(s));
  for (let i = 0; i < data.length; i++) data[i] = g.randomFloat32();
  return finish(fromTyped(data, s, 'float32'), opts.requiresGrad);
}

/** Standard normal. */
export function randn(shape: ShapeArg, opts: RandomOptions = {}): Tensor {
  const s = shapeOf('randn', shape);
  const data = new Float32Array(sizeOf(s));
  (opts.generator ?? defaultGenerator).fillNormal(data);
  return finish(fromTyped(data, s, 'float32'), opts.requiresGrad);
}

/** Integers uniform in [low, high), int32 by default. */
export function randint(low: number, high: number, shape: ShapeArg, opts: RandomOptions = {}): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw opError('randint', `expected integers low < high, got low=${low}, high=${high}`);
  }
  const s = shapeOf('randint', shape);
  const g = opts.generator ?? defaultGenerator;
  const dtype = checkDType('randint', opts.dtype ?? 'int32');
  const data = allocTyped(dtype, sizeOf(s));
  for (let i = 0; i < data.length; i++) data[i] = g.randint(low, high);
  return finish(fromTyped(data, s, dtype), opts.requiresGrad);
}

export function randLike(t: Tensor, opts: RandomOptions = {}): Tensor {
  return rand(t.shape, opts);
}
export function randnLike(t: Tensor, opts: RandomOptions = {}): Tensor {
  return randn(t.shape, opts);
}
