// Primitive forward implementations: the only code that runs kernels. Each differentiable
// primitive records itself for autograd; its VJP lives in vjp.ts under the same name.
// Inputs are assumed validated by the public ops (ops/*), which own the error messages.
import type { Backend, BinaryOp, IndexCheck, KernelName, KernelParams, ReduceOp, UnaryOp } from './backend.ts';
import { getBackend } from './backend.ts';
import type { DType, TypedArray } from './dtype.ts';
import { Storage } from './memory.ts';
import { broadcastShapes, broadcastStrides, opError, shapesEqual, sizeOf, stridesOf } from './shape.ts';
import { Tensor } from './tensor.ts';
import { record } from './autograd.ts';

export function backendOf(op: string, ts: readonly Tensor[]): Backend {
  if (ts.length === 0) return getBackend();
  const b = ts[0]._storage.backend;
  for (const t of ts) {
    t._assertLive(op);
    if (t._storage.backend !== b) {
      throw opError(op, `tensors live on different backends (${b.name} and ${t._storage.backend.name}); move them with .toBackend()`);
    }
  }
  return b;
}

export function newTensor(shape: readonly number[], dtype: DType, backend: Backend = getBackend()): Tensor {
  return new Tensor(Storage.alloc(dtype, sizeOf(shape), backend), shape, dtype);
}

export function fromTyped(data: TypedArray, shape: readonly number[], dtype: DType, backend: Backend = getBackend()): Tensor {
  const t = newTensor(shape, dtype, backend);
  backend.write(t._storage.buf, data);
  return t;
}

function run<K extends KernelName>(kernel: K, inputs: Tensor[], out: Tensor, params: KernelParams[K]): Tensor {
  out._storage.backend.run(kernel, inputs.map((t) => t._storage.buf), [out._storage.buf], params);
  return out;
}

export function fillP(shape: readonly number[], dtype: DType, value: number, backend: Backend = getBackend()): Tensor {
  return run('fill', [], newTensor(shape, dtype, backend), { value });
}

/**
 * Synchronous host view for index validation: host memory (CPU) or a still-current host copy
 * (WebGPU keeps the values it was given or last read back); null when only the device has them.
 */
export function hostData(t: Tensor): TypedArray | null {
  const b = t._storage.backend;
  if (b.readSync) return b.readSync(t._storage.buf);
  return b.hostShadow?.(t._storage.buf) ?? null;
}

/**
 * Validate int32 index values: at once where the host has them (throws `check.message(v)`
 * for the first bad one), else on the device, which fails the next read with that message.
 */
export function checkIndexRange(index: Tensor, check: IndexCheck): void {
  if (index.size === 0) return;
  const data = hostData(index);
  if (data) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if ((v < check.low || v >= check.high) && v !== check.skip) throw new Error(check.message(v));
    }
    return;
  }
  index._storage.backend.checkIndices?.(index._storage.buf, check);
}

const NON_DIFF_UNARY = new Set<UnaryOp>(['sign', 'isinf', 'isnan', 'not']);
const BOOL_UNARY = new Set<UnaryOp>(['isinf', 'isnan', 'not']);

export function unaryP(op: UnaryOp, x: Tensor): Tensor {
  const be = backendOf(op, [x]);
  const out = run('unary', [x], newTensor(x.shape, BOOL_UNARY.has(op) ? 'bool' : x.dtype, be), { op });
  return NON_DIFF_UNARY.has(op) ? out : record(op, [x], out);
}

const COMPARE = new Set<BinaryOp>(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or']);

/** Broadcasting binary op; a and b must share a dtype. Comparisons give bool and no grad. */
export function binaryP(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const be = backendOf(op, [a, b]);
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = newTensor(shape, COMPARE.has(op) ? 'bool' : a.dtype, be);
  run('binary', [a, b], out, { op, shape, aStrides: broadcastStrides(a.shape, shape), bStrides: broadcastStrides(b.shape, shape) });
  return COMPARE.has(op) ? out : record(op, [a, b], out);
}

export function whereP(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  const be = backendOf('where', [cond, a, b]);
  const shape = broadcastShapes('where', cond.shape, a.shape, b.shape);
  const out = newTensor(shape, a.dtype, be);
  run('where', [cond, a, b], out, {
    shape,
    condStrides: broadcastStrides(cond.shape, shape),
    aStrides: broadcastStrides(a.shape, shape),
    bStrides: broadcastStrides(b.shape, shape),
  });
  return record('where', [cond, a, b], out);
}

export function castP(x: Tensor, dtype: DType): Tensor {
  const out = run('cast', [x], newTensor(x.shape, dtype, backendOf('cast', [x])), {});
  return dtype === 'float32' && x.dtype === 'float32' ? record('cast', [x], out) : out;
}

/** Reduce over sorted, distinct dims. sum/max record; argmax/argmin/min do not. */
export function reduceP(op: ReduceOp, x: Tensor, dims: number[], keepdim: boolean): Tensor {
  const be = backendOf(op, [x]);
  const keptShape = x.shape.map((d, i) => (dims.includes(i) ? 1 : d));
  const outShape = keepdim ? keptShape : x.shape.filter((_, i) => !dims.includes(i));
  const outDtype: DType = op === 'argmax' || op === 'argmin' ? 'int32' : x.dtype;
  const out = newTensor(outShape, outDtype, be);
  if (dims.length === 0) {
    run('cast', [x], out, {});
  } else {
    let src = x;
    let moved = false;
    const adjacent = dims[dims.length - 1] - dims[0] === dims.length - 1;
    let outer: number, size: number, inner: number;
    if (adjacent) {
      outer = sizeOf(x.shape.slice(0, dims[0]));
      size = sizeOf(dims.map((d) => x.shape[d]));
      inner = sizeOf(x.shape.slice(dims[dims.length - 1] + 1));
    } else {
      // move reduced dims last so they are one contiguous block
      const kept = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
      src = permuteRaw(x, [...kept, ...dims]);
      moved = true;
      outer = sizeOf(kept.map((d) => x.shape[d]));
      size = sizeOf(dims.map((d) => x.shape[d]));
      inner = 1;
    }
    run('reduce', [src], out, { op, outer, size, inner });
    if (moved) src.dispose();
  }
  if (op === 'sum' || op === 'max') return record(op, [x], out, { dims, keepdim });
  return out;
}

/**
 * Batched matmul op(A) @ op(B) with equal batch: A is [B,M,K] (or [B,K,M] when transA),
 * B is [B,K,N] (or [B,N,K] when transB). The flags save transposing copies (linear, attention).
 */
export function matmulP(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  const be = backendOf('matmul', [a, b]);
  const batch = a.shape[0];
  const m = transA ? a.shape[2] : a.shape[1];
  const k = transA ? a.shape[1] : a.shape[2];
  const n = transB ? b.shape[1] : b.shape[2];
  const out = newTensor([batch, m, n], 'float32', be);
  run('matmul', [a, b], out, { batch, m, k, n, transA, transB, aBatchStride: m * k, bBatchStride: k * n });
  return record('matmul', [a, b], out, { transA, transB });
}

/** Same data, new shape: shares storage. */
export function reshapeP(x: Tensor, shape: readonly number[]): Tensor {
  backendOf('reshape', [x]);
  x._storage.retain();
  const out = new Tensor(x._storage, shape, x.dtype);
  return record('reshape', [x], out, { from: [...x.shape] });
}

function permuteRaw(x: Tensor, perm: number[]): Tensor {
  const shape = perm.map((p) => x.shape[p]);
  const strides = stridesOf(x.shape);
  return run('stridedCopy', [x], newTensor(shape, x.dtype, x._storage.backend), { shape, strides: perm.map((p) => strides[p]), offset: 0 });
}

export function permuteP(x: Tensor, perm: number[]): Tensor {
  backendOf('permute', [x]);
  return record('permute', [x], permuteRaw(x, perm), { perm });
}

/** Broadcast copy to `shape` (same rank; x dims are equal or 1). */
export function expandP(x: Tensor, shape: readonly number[]): Tensor {
  const be = backendOf('expand', [x]);
  const out = newTensor(shape, x.dtype, be);
  run('stridedCopy', [x], out, { shape: [...shape], strides: broadcastStrides(x.shape, shape), offset: 0 });
  return record('expand', [x], out);
}

export interface SliceParams { starts: number[]; steps: number[]; shape: number[] }

/** Strided window: out[i] = x[starts + i*steps] per dim, out shape `shape`. */
export function sliceP(x: Tensor, p: SliceParams): Tensor {
  const be = backendOf('slice', [x]);
  const xs = stridesOf(x.shape);
  const offset = p.starts.reduce((acc, s, d) => acc + s * xs[d], 0);
  const out = newTensor(p.shape, x.dtype, be);
  run('stridedCopy', [x], out, { shape: p.shape, strides: xs.map((s, d) => s * p.steps[d]), offset });
  return record('slice', [x], out, p);
}

/** Inverse of slice: a tensor of `fullShape` filled with `fill`, with x written at the window. */
export function unsliceRaw(x: Tensor, fullShape: readonly number[], p: { starts: number[]; steps: number[] }, fill = 0): Tensor {
  const out = fillP(fullShape, x.dtype, fill, x._storage.backend);
  const os = stridesOf(fullShape);
  const offset = p.starts.reduce((acc, s, d) => acc + s * os[d], 0);
  run('stridedScatter', [x], out, { shape: [...x.shape], strides: os.map((s, d) => s * p.steps[d]), offset });
  return out;
}

/** Constant padding: pads[d] = [before, after] (both >= 0). */
export function padP(x: Tensor, pads: [number, number][], value: number): Tensor {
  backendOf('pad', [x]);
  const shape = x.shape.map((d, i) => d + pads[i][0] + pads[i][1]);
  const out = unsliceRaw(x, shape, { starts: pads.map((p) => p[0]), steps: pads.map(() => 1) }, value);
  return record('pad', [x], out, { pads });
}

export function catP(xs: Tensor[], dim: number): Tensor {
  const be = backendOf('cat', xs);
  const shape = [...xs[0].shape];
  shape[dim] = xs.reduce((acc, t) => acc + t.shape[dim], 0);
  const out = newTensor(shape, xs[0].dtype, be);
  const os = stridesOf(shape);
  let at = 0;
  for (const t of xs) {
    if (t.size > 0) run('stridedScatter', [t], out, { shape: [...t.shape], strides: os, offset: at * os[dim] });
    at += t.shape[dim];
  }
  return record('cat', xs, out, { dim, sizes: xs.map((t) => t.shape[dim]) });
}

export function gatherP(x: Tensor, dim: number, index: Tensor): Tensor {
  const be = backendOf('gather', [x, index]);
  const out = newTensor(index.shape, x.dtype, be);
  run('gather', [x, index], out, { shape: [...index.shape], xStrides: stridesOf(x.shape), dim });
  return record('gather', [x, index], out, { dim });
}

/** out = self with src[i] added at index positions along dim. */
export function scatterAddP(self: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const be = backendOf('scatterAdd', [self, index, src]);
  const out = run('cast', [self], newTensor(self.shape, self.dtype, be), {});
  out._storage.backend.run('scatterAdd', [index._storage.buf, src._storage.buf], [out._storage.buf], {
    shape: [...index.shape], outStrides: stridesOf(self.shape), srcStrides: stridesOf(src.shape), dim,
  });
  return record('scatterAdd', [self, index, src], out, { dim });
}

export function cloneRaw(x: Tensor): Tensor {
  return run('cast', [x], newTensor(x.shape, x.dtype, backendOf('clone', [x])), {});
}

/** Sum a broadcast gradient back down to `shape` (used by VJPs of broadcasting ops). */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  }
  const s = reduceP('sum', g, dims, true);
  return reshapeP(s, shape);
}
