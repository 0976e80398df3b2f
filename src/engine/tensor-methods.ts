// Method forms of the ops (x.add(y), x.sum(-1, true), ...), attached to Tensor.prototype.
// The interface merges into the Tensor class declaration (see tensor.ts).
import type { DType } from './dtype.ts';
import { Tensor } from './tensor.ts';
import { backward } from './autograd.ts';
import type { BackwardOptions } from './autograd.ts';
import { castP } from './primitives.ts';
import { noGrad } from './autograd.ts';
import { fmtShape, shapesEqual } from './shape.ts';
import { formatTensor } from './format.ts';
import * as E from './ops/elementwise.ts';
import type { GeluOptions, TensorLike } from './ops/elementwise.ts';
import * as R from './ops/reduce.ts';
import type { DimArg, VarOptions } from './ops/reduce.ts';
import * as S from './ops/shape-ops.ts';
import * as I from './ops/indexing.ts';
import * as L from './ops/linalg.ts';
import * as N from './ops/nn-functional.ts';
import { full } from './ops/creation.ts';

export interface TensorMethods {
  add(other: TensorLike): Tensor;
  sub(other: TensorLike): Tensor;
  mul(other: TensorLike): Tensor;
  div(other: TensorLike): Tensor;
  pow(exponent: TensorLike): Tensor;
  maximum(other: TensorLike): Tensor;
  minimum(other: TensorLike): Tensor;
  eq(other: TensorLike): Tensor;
  ne(other: TensorLike): Tensor;
  lt(other: TensorLike): Tensor;
  le(other: TensorLike): Tensor;
  gt(other: TensorLike): Tensor;
  ge(other: TensorLike): Tensor;
  logicalAnd(other: TensorLike): Tensor;
  logicalOr(other: TensorLike): Tensor;
  logicalNot(): Tensor;
  neg(): Tensor;
  abs(): Tensor;
  sign(): Tensor;
  exp(): Tensor;
  log(): Tensor;
  sqrt(): Tensor;
  rsqrt(): Tensor;
  square(): Tensor;
  reciprocal(): Tensor;
  tanh(): Tensor;
  sigmoid(): Tensor;
  relu(): Tensor;
  gelu(opts?: GeluOptions): Tensor;
  sin(): Tensor;
  cos(): Tensor;
  erf(): Tensor;
  isnan(): Tensor;
  isinf(): Tensor;
  clamp(min?: TensorLike | null, max?: TensorLike | null): Tensor;
  /** torch's x.where(cond, other): x where cond, else other. */
  where(cond: Tensor, other: TensorLike): Tensor;
  maskedFill(mask: Tensor, value: number): Tensor;

  sum(dim?: DimArg, keepdim?: boolean): Tensor;
  mean(dim?: DimArg, keepdim?: boolean): Tensor;
  max(dim?: DimArg, keepdim?: boolean): Tensor;
  min(dim?: DimArg, keepdim?: boolean): Tensor;
  argmax(dim?: number | null, keepdim?: boolean): Tensor;
  argmin(dim?: number | null, keepdim?: boolean): Tensor;
  var(dim?: DimArg, opts?: boolean | VarOptions): Tensor;
  std(dim?: DimArg, opts?: boolean | VarOptions): Tensor;
  logsumexp(dim?: DimArg, keepdim?: boolean): Tensor;
  any(dim?: DimArg, keepdim?: boolean): Tensor;
  all(dim?: DimArg, keepdim?: boolean): Tensor;

  matmul(other: Tensor): Tensor;
  softmax(dim: number): Tensor;
  logSoftmax(dim: number): Tensor;

  reshape(...shape: (number | readonly number[])[]): Tensor;
  view(...shape: (number | readonly number[])[]): Tensor;
  flatten(startDim?: number, endDim?: number): Tensor;
  unflatten(dim: number, sizes: readonly number[]): Tensor;
  permute(...dims: (number | readonly number[])[]): Tensor;
  transpose(dim0: number, dim1: number): Tensor;
  /** All dims reversed (a matrix transpose for 2-D). */
  readonly T: Tensor;
  /** Last two dims swapped (batched matrix transpose). */
  readonly mT: Tensor;
  squeeze(dim?: number | readonly number[]): Tensor;
  unsqueeze(dim: number): Tensor;
  expand(...sizes: (number | readonly number[])[]): Tensor;
  expandAs(other: Tensor): Tensor;
  slice(dim: number, start?: number | null, end?: number | null, step?: number): Tensor;
  narrow(dim: number, start: number, length: number): Tensor;
  select(dim: number, index: number): Tensor;
  split(splitSizeOrSections: number | readonly number[], dim?: number): Tensor[];
  chunk(chunks: number, dim?: number): Tensor[];
  repeat(...reps: (number | readonly number[])[]): Tensor;
  tril(diagonal?: number): Tensor;
  triu(diagonal?: number): Tensor;
  contiguous(): Tensor;
  clone(): Tensor;
  to(dtype: DType): Tensor;
  float(): Tensor;
  int(): Tensor;
  bool(): Tensor;

  gather(dim: number, index: Tensor): Tensor;
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
  indexSelect(dim: number, index: Tensor): Tensor;

  /** A new handle on the same data, cut out of the autograd graph. */
  detach(): Tensor;
  /** Set requiresGrad in place (leaf tensors); returns this. */
  requiresGrad_(value?: boolean): Tensor;
  /** Keep .grad on this non-leaf tensor at the next backward(). */
  retainGrad(): Tensor;
  /** Backpropagate from this tensor; grads accumulate into leaves' .grad. */
  backward(grad?: Tensor | null, opts?: BackwardOptions): void;
  /**
   * Replace this tensor's value (same shape; cast to its dtype) without recording a graph — for
   * optimizers and state-dict loading. Reshapes taken earlier keep the old values; do not call
   * it between a forward pass that used this tensor and its backward().
   */
  assign(value: Tensor | number): Tensor;
  /** The values printed like torch: `tensor([[0.1000, 0.2000]], requires_grad=True)`. */
  format(): Promise<string>;
  /** console.log(await this.format()). */
  print(): Promise<void>;
}

const methods: Omit<TensorMethods, 'T' | 'mT'> & ThisType<Tensor> = {
  add(o) { return E.add(this, o); },
  sub(o) { return E.sub(this, o); },
  mul(o) { return E.mul(this, o); },
  div(o) { return E.div(this, o); },
  pow(o) { return E.pow(this, o); },
  maximum(o) { return E.maximum(this, o); },
  minimum(o) { return E.minimum(this, o); },
  eq(o) { return E.eq(this, o); },
  ne(o) { return E.ne(this, o); },
  lt(o) { return E.lt(this, o); },
  le(o) { return E.le(this, o); },
  gt(o) { return E.gt(this, o); },
  ge(o) { return E.ge(this, o); },
  logicalAnd(o) { return E.logicalAnd(this, o); },
  logicalOr(o) { return E.logicalOr(this, o); },
  logicalNot() { return E.logicalNot(this); },
  neg() { return E.neg(this); },
  abs() { return E.abs(this); },
  sign() { return E.sign(this); },
  exp() { return E.exp(this); },
  log() { return E.log(this); },
  sqrt() { return E.sqrt(this); },
  rsqrt() { return E.rsqrt(this); },
  square() { return E.square(this); },
  reciprocal() { return E.reciprocal(this); },
  tanh() { return E.tanh(this); },
  sigmoid() { return E.sigmoid(this); },
  relu() { return E.relu(this); },
  gelu(opts) { return E.gelu(this, opts); },
  sin() { return E.sin(this); },
  cos() { return E.cos(this); },
  erf() { return E.erf(this); },
  isnan() { return E.isnan(this); },
  isinf() { return E.isinf(this); },
  clamp(min, max) { return E.clamp(this, min, max); },
  where(cond, other) { return E.where(cond, this, other); },
  maskedFill(mask, value) { return E.maskedFill(this, mask, value); },

  sum(dim, keepdim) { return R.sum(this, dim, keepdim); },
  mean(dim, keepdim) { return R.mean(this, dim, keepdim); },
  max(dim, keepdim) { return R.max(this, dim, keepdim); },
  min(dim, keepdim) { return R.min(this, dim, keepdim); },
  argmax(dim, keepdim) { return R.argmax(this, dim, keepdim); },
  argmin(dim, keepdim) { return R.argmin(this, dim, keepdim); },
  var(dim, opts) { return R.variance(this, dim, opts); },
  std(dim, opts) { return R.std(this, dim, opts); },
  logsumexp(dim, keepdim) { return R.logsumexp(this, dim, keepdim); },
  any(dim, keepdim) { return R.any(this, dim, keepdim); },
  all(dim, keepdim) { return R.all(this, dim, keepdim); },

  matmul(o) { return L.matmul(this, o); },
  softmax(dim) { return N.softmax(this, dim); },
  logSoftmax(dim) { return N.logSoftmax(this, dim); },

  reshape(...s) { return S.reshape(this, ...s); },
  view(...s) { return S.reshape(this, ...s); },
  flatten(a, b) { return S.flatten(this, a, b); },
  unflatten(d, sizes) { return S.unflatten(this, d, sizes); },
  permute(...d) { return S.permute(this, ...d); },
  transpose(a, b) { return S.transpose(this, a, b); },
  squeeze(d) { return S.squeeze(this, d); },
  unsqueeze(d) { return S.unsqueeze(this, d); },
  expand(...s) { return S.expand(this, ...s); },
  expandAs(o) { return S.expandAs(this, o); },
  slice(d, a, b, st) { return S.slice(this, d, a, b, st); },
  narrow(d, a, n) { return S.narrow(this, d, a, n); },
  select(d, i) { return S.select(this, d, i); },
  split(s, d) { return S.split(this, s, d); },
  chunk(c, d) { return S.chunk(this, c, d); },
  repeat(...r) { return S.repeat(this, ...r); },
  tril(k) { return S.tril(this, k); },
  triu(k) { return S.triu(this, k); },
  contiguous() { return S.contiguous(this); },
  clone() { return S.clone(this); },
  to(dtype) { return S.to(this, dtype); },
  float() { return S.to(this, 'float32'); },
  int() { return S.to(this, 'int32'); },
  bool() { return S.to(this, 'bool'); },

  gather(d, idx) { return I.gather(this, d, idx); },
  scatterAdd(d, idx, src) { return I.scatterAdd(this, d, idx, src); },
  indexSelect(d, idx) { return I.indexSelect(this, d, idx); },

  detach() { return N.detach(this); },
  requiresGrad_(value = true) { this.requiresGrad = value; return this; },
  retainGrad() {
    this._assertLive('retainGrad');
    if (!this.requiresGrad) throw new Error("retainGrad: can't retain the grad of a tensor that does not require grad");
    this._retainsGrad = true;
    return this;
  },
  backward(grad, opts) { backward(this, grad, opts); },
  assign(value) {
    this._assertLive('assign');
    if (this._node) throw new Error('assign: only leaf tensors can be assigned (this one was computed by an op; use detach())');
    const v = value instanceof Tensor ? value : full(this.shape, value, { dtype: this.dtype });
    try {
      v._assertLive('assign');
      if (!shapesEqual(v.shape, this.shape)) {
        throw new Error(`assign: value shape ${fmtShape(v.shape)} does not match tensor shape ${fmtShape(this.shape)}`);
      }
      if (v._storage.backend !== this._storage.backend) throw new Error('assign: value lives on another backend');
      const src = v.dtype === this.dtype ? v : noGrad(() => castP(v, this.dtype));
      src._storage.retain();
      this._storage.release();
      this._storage = src._storage;
      if (src !== v) src.dispose();
    } finally {
      if (v !== value) v.dispose();
    }
    return this;
  },
  format() { return formatTensor(this); },
  async print() { console.log(await formatTensor(this)); },
};

Object.assign(Tensor.prototype, methods);
Object.defineProperty(Tensor.prototype, 'T', {
  get(this: Tensor) { return this.ndim < 2 ? S.contiguous(this) : S.permute(this, this.shape.map((_, i) => this.ndim - 1 - i)); },
});
Object.defineProperty(Tensor.prototype, 'mT', {
  get(this: Tensor) {
    if (this.ndim < 2) throw new Error(`mT: expected a tensor with at least 2 dims, got ${fmtShape(this.shape)}`);
    return S.transpose(this, -2, -1);
  },
});
