// Elementwise ops with PyTorch broadcasting and dtype promotion; JS numbers act as 0-d tensors.
import type { BinaryOp, UnaryOp } from '../backend.ts';
import type { DType } from '../dtype.ts';
import { promote, scalarDType } from '../dtype.ts';
import { broadcastShapes, fmtShape, opError, shapesEqual } from '../shape.ts';
import { Tensor } from '../tensor.ts';
import { backendOf, binaryP, castP, fillP, unaryP, whereP } from '../primitives.ts';
import { tidy } from '../memory.ts';

export type TensorLike = Tensor | number | boolean;

function dtypeOf(x: TensorLike, other: TensorLike): DType {
  if (x instanceof Tensor) return x.dtype;
  return scalarDType(x, other instanceof Tensor ? other.dtype : typeof other === 'boolean' ? 'bool' : 'float32');
}

function checkArg(op: string, x: unknown): void {
  if (x instanceof Tensor) { x._assertLive(op); return; }
  if (typeof x !== 'number' && typeof x !== 'boolean') {
    throw opError(op, `expected a Tensor or a number, got ${x === null ? 'null' : typeof x}`);
  }
}

/** Convert a TensorLike to a tensor of `dtype`; returns [tensor, isTemporary]. */
function coerce(x: TensorLike, dtype: DType, like: Tensor | null): [Tensor, boolean] {
  if (x instanceof Tensor) return x.dtype === dtype ? [x, false] : [castP(x, dtype), true];
  return [fillP([], dtype, Number(x), like ? like._storage.backend : undefined), true];
}

type Mode = 'arith' | 'float' | 'compare' | 'logical';

function binary(op: BinaryOp, a: TensorLike, b: TensorLike, mode: Mode, name: string = op): Tensor {
  checkArg(name, a);
  checkArg(name, b);
  if (a instanceof Tensor && b instanceof Tensor) backendOf(name, [a, b]);
  const like = a instanceof Tensor ? a : b instanceof Tensor ? b : null;
  let dtype = promote(dtypeOf(a, b), dtypeOf(b, a));
  if (mode === 'float') dtype = 'float32';
  if (mode === 'arith' && dtype === 'bool') dtype = 'int32';
  if (mode === 'logical') dtype = 'bool';
  if (mode === 'compare' && dtypeOf(a, b) === 'bool' && dtypeOf(b, a) === 'bool') dtype = 'bool';
  if (a instanceof Tensor && b instanceof Tensor) broadcastShapes(name, a.shape, b.shape);
  const [ta, tmpA] = coerce(a, dtype, like);
  const [tb, tmpB] = coerce(b, dtype, like);
  try {
    return binaryP(op, ta, tb);
  } finally {
    if (tmpA) ta.dispose();
    if (tmpB) tb.dispose();
  }
}

export const add = (a: TensorLike, b: TensorLike): Tensor => binary('add', a, b, 'arith');
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary('sub', a, b, 'arith');
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary('mul', a, b, 'arith');
/** True division (ints give float32), like torch.div. */
export const div = (a: TensorLike, b: TensorLike): Tensor => binary('div', a, b, 'float');
export const pow = (a: TensorLike, b: TensorLike): Tensor => binary('pow', a, b, 'arith');
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binary('maximum', a, b, 'arith');
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binary('minimum', a, b, 'arith');
export const eq = (a: TensorLike, b: TensorLike): Tensor => binary('eq', a, b, 'compare');
export const ne = (a: TensorLike, b: TensorLike): Tensor => binary('ne', a, b, 'compare');
export const lt = (a: TensorLike, b: TensorLike): Tensor => binary('lt', a, b, 'compare');
export const le = (a: TensorLike, b: TensorLike): Tensor => binary('le', a, b, 'compare');
export const gt = (a: TensorLike, b: TensorLike): Tensor => binary('gt', a, b, 'compare');
export const ge = (a: TensorLike, b: TensorLike): Tensor => binary('ge', a, b, 'compare');
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => binary('and', a, b, 'logical', 'logicalAnd');
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => binary('or', a, b, 'logical', 'logicalOr');

function unary(op: UnaryOp, x: Tensor, floatOnly: boolean, name: string = op): Tensor {
  checkArg(name, x);
  if (!(x instanceof Tensor)) throw opError(name, 'expected a Tensor');
  if (floatOnly && x.dtype !== 'float32') {
    const f = castP(x, 'float32');
    try { return unaryP(op, f); } finally { f.dispose(); }
  }
  if (x.dtype === 'bool' && (op === 'neg' || op === 'abs' || op === 'sign')) {
    throw opError(name, 'not supported for bool tensors; use logicalNot or cast with .int()');
  }
  return unaryP(op, x);
}

export const neg = (x: Tensor): Tensor => unary('neg', x, false);
export const abs = (x: Tensor): Tensor => unary('abs', x, false);
export const sign = (x: Tensor): Tensor => unary('sign', x, false);
export const exp = (x: Tensor): Tensor => unary('exp', x, true);
export const log = (x: Tensor): Tensor => unary('log', x, true);
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x, true);
export const tanh = (x: Tensor): Tensor => unary('tanh', x, true);
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x, true);
export const relu = (x: Tensor): Tensor => unary('relu', x, x.dtype === 'bool');
export const sin = (x: Tensor): Tensor => unary('sin', x, true);
export const cos = (x: Tensor): Tensor => unary('cos', x, true);
export const erf = (x: Tensor): Tensor => unary('erf', x, true);
export const isnan = (x: Tensor): Tensor => unary('isnan', x, false);
export const isinf = (x: Tensor): Tensor => unary('isinf', x, false);
export const logicalNot = (x: Tensor): Tensor => unary('not', x, false, 'logicalNot');

export const rsqrt = (x: Tensor): Tensor => tidy(() => div(1, sqrt(x)));
export const square = (x: Tensor): Tensor => mul(x, x);
export const reciprocal = (x: Tensor): Tensor => div(1, x);

export interface GeluOptions {
  /** 'none' (exact, erf) or 'tanh' (the GPT-2 approximation). */
  approximate?: 'none' | 'tanh';
}

/** GELU: x·Φ(x); with approximate 'tanh': 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))). */
export function gelu(x: Tensor, opts: GeluOptions = {}): Tensor {
  const mode = opts.approximate ?? 'none';
  if (mode !== 'none' && mode !== 'tanh') throw opError('gelu', `approximate must be 'none' or 'tanh', got '${String(mode)}'`);
  return tidy(() => {
    if (mode === 'tanh') {
      const inner = mul(add(x, mul(pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
      return mul(mul(x, 0.5), add(tanh(inner), 1));
    }
    return mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1));
  });
}

/** where(cond, a, b): a where cond is true, else b (broadcasting all three). */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  checkArg('where', cond);
  checkArg('where', a);
  checkArg('where', b);
  if (!(cond instanceof Tensor) || cond.dtype !== 'bool') {
    throw opError('where', `condition must be a bool tensor, got ${cond instanceof Tensor ? cond.dtype : typeof cond}`);
  }
  const shapes = [cond.shape, ...[a, b].filter((t): t is Tensor => t instanceof Tensor).map((t) => t.shape)];
  broadcastShapes('where', ...shapes);
  const dtype = promote(dtypeOf(a, b), dtypeOf(b, a));
  const [ta, tmpA] = coerce(a, dtype, cond);
  const [tb, tmpB] = coerce(b, dtype, cond);
  try {
    return whereP(cond, ta, tb);
  } finally {
    if (tmpA) ta.dispose();
    if (tmpB) tb.dispose();
  }
}

/** Copy of x with `value` where mask is true; mask must broadcast to x's shape. */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  checkArg('maskedFill', x);
  checkArg('maskedFill', mask);
  if (mask.dtype !== 'bool') throw opError('maskedFill', `mask must be a bool tensor, got ${mask.dtype}`);
  const shape = broadcastShapes('maskedFill', x.shape, mask.shape);
  if (!shapesEqual(shape, x.shape)) {
    throw opError('maskedFill', `mask ${fmtShape(mask.shape)} must broadcast to the input's shape ${fmtShape(x.shape)}`);
  }
  const [v, tmp] = coerce(value, x.dtype, x);
  try {
    return whereP(mask, v, x);
  } finally {
    if (tmp) v.dispose();
  }
}

/** Clamp into [min, max] (either may be omitted); gradient flows where min ≤ x ≤ max, like torch. */
export function clamp(x: Tensor, min?: TensorLike | null, max?: TensorLike | null): Tensor {
  checkArg('clamp', x);
  if ((min === undefined || min === null) && (max === undefined || max === null)) {
    throw opError('clamp', 'at least one of min or max must be given');
  }
  return tidy(() => {
    let out = x;
    if (min !== undefined && min !== null) out = where(lt(out, min), min, out);
    if (max !== undefined && max !== null) out = where(gt(out, max), max, out);
    return out === x ? x : out;
  });
}
