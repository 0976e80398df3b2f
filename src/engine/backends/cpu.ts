// The CPU backend: buffers are plain typed arrays; kernels run synchronously.
import type { Backend, BackendBuffer, KernelName, KernelParams } from '../backend.ts';
import { registerBackend } from '../backend.ts';
import { allocTyped } from '../dtype.ts';
import { collapseDims } from '../shape.ts';
import type { DType, TypedArray } from '../dtype.ts';
import {
  binaryKernel, castKernel, gatherKernel, reduceKernel, scatterAddKernel, stridedCopyKernel,
  stridedScatterKernel, unaryKernel, whereKernel,
} from './cpu-kernels.ts';
import { runCpuFused } from './cpu-fused.ts';
import { matmulKernel } from './cpu-matmul.ts';
import { UNARY_MIN, binaryWasm, unaryKernelFor, unaryWasm, wasmKernels, type WasmUnaryOp } from './cpu-wasm.ts';

export class CpuBuffer implements BackendBuffer {
  constructor(readonly dtype: DType, readonly data: TypedArray) {}
  get size(): number { return this.data.length; }
}

function host(b: BackendBuffer): TypedArray {
  return (b as CpuBuffer).data;
}

// Float32 elementwise work big enough to pay for the copies in and out of wasm memory runs on the
// SIMD kernels (V8's loops over typed arrays take a few ns an element; the copies a fraction of one).
function unaryOnWasm(op: string, x: TypedArray, out: TypedArray): boolean {
  if (out.length < UNARY_MIN || !(out instanceof Float32Array) || !(x instanceof Float32Array)) return false;
  const w = unaryKernelFor(op);
  return w !== null && unaryWasm(w, op as WasmUnaryOp, x, out);
}

function binaryOnWasm(a: TypedArray, b: TypedArray, out: TypedArray, p: KernelParams['binary']): boolean {
  if (out.length < UNARY_MIN || !(out instanceof Float32Array) || !(a instanceof Float32Array) || !(b instanceof Float32Array)) return false;
  const w = wasmKernels();
  if (!w) return false;
  const { shape, strides } = collapseDims(p.shape, [p.aStrides, p.bStrides]);
  return binaryWasm(w, p.op, a, b, out, shape, strides);
}

// Arrays freed by their storage are kept for the next allocation of the same dtype and size.
// V8 gives every typed array its own zeroed memory outside the heap, which cost ≈2 µs for 192
// floats here (a quarter of a small op, most of the per-step cost of an RNN) and, for a training
// step's activations and attention maps (up to a few MB each), the allocations and the garbage
// collections they trigger took a third of the step. Small arrays stay pooled; large ones only
// while work goes on: a second after the last came back they are let go, so a finished training
// run does not pin its memory.
const SMALL_MAX_ELEMENTS = 1 << 16;
const POOLED_MAX_ELEMENTS = 1 << 20;
const POOL_MAX_BYTES = 64 << 20;
const LARGE_KEEP_MS = 1000;

class ArrayPool {
  private readonly free = new Map<DType, Map<number, TypedArray[]>>();
  private dropTimer: ReturnType<typeof setTimeout> | null = null;
  bytes = 0;

  /** A zeroed array from the pool, or null. */
  take(dtype: DType, size: number): TypedArray | null {
    const a = this.free.get(dtype)?.get(size)?.pop();
    if (!a) return null;
    this.bytes -= a.byteLength;
    return a.fill(0);
  }

  give(dtype: DType, a: TypedArray): void {
    if (a.length > POOLED_MAX_ELEMENTS || this.bytes + a.byteLength > POOL_MAX_BYTES) return;
    let bySize = this.free.get(dtype);
    if (!bySize) this.free.set(dtype, (bySize = new Map()));
    let list = bySize.get(a.length);
    if (!list) bySize.set(a.length, (list = []));
    list.push(a);
    this.bytes += a.byteLength;
    if (a.length > SMALL_MAX_ELEMENTS && !this.dropTimer) {
      this.dropTimer = setTimeout(() => this.dropLarge(), LARGE_KEEP_MS);
      // Node: a pending drop must not keep a finished script alive
      (this.dropTimer as { unref?: () => void }).unref?.();
    }
  }

  private dropLarge(): void {
    this.dropTimer = null;
    for (const bySize of this.free.values()) {
      for (const [size, list] of bySize) {
        if (size <= SMALL_MAX_ELEMENTS) continue;
        for (const a of list) this.bytes -= a.byteLength;
        bySize.delete(size);
      }
    }
  }
}

export class CpuBackend implements Backend {
  readonly name = 'cpu';
  private readonly pool = new ArrayPool();

  alloc(dtype: DType, size: number): BackendBuffer {
    return new CpuBuffer(dtype, this.pool.take(dtype, size) ?? allocTyped(dtype, size));
  }

  /** Only storages free buffers, after their last tensor let go, so nothing reads it again. */
  free(buf: BackendBuffer): void {
    this.pool.give(buf.dtype, host(buf));
  }

  write(buf: BackendBuffer, data: TypedArray): void {
    host(buf).set(data);
  }

  read(buf: BackendBuffer): Promise<TypedArray> {
    return Promise.resolve(host(buf).slice());
  }

  readSync(buf: BackendBuffer): TypedArray {
    return host(buf);
  }

  pooledBytes(): number {
    return this.pool.bytes;
  }

  /** One loop instead of a composite's chain of ops (cpu-fused.ts); false while setCpuFusion(false). */
  runFused: NonNullable<Backend['runFused']> = (name, inputs, outputs, params) => runCpuFused(name, inputs.map(host), outputs.map(host), params);

  run<K extends KernelName>(kernel: K, inputs: BackendBuffer[], outputs: BackendBuffer[], params: KernelParams[K]): void {
    const ins = inputs.map(host);
    const out = host(outputs[0]);
    const p = params as KernelParams[KernelName];
    switch (kernel) {
      case 'fill': out.fill((p as KernelParams['fill']).value); return;
      case 'cast': castKernel(ins[0], out); return;
      case 'unary': {
        const op = (p as KernelParams['unary']).op;
        if (!unaryOnWasm(op, ins[0], out)) unaryKernel(op, ins[0], out);
        return;
      }
      case 'binary': {
        const bp = p as KernelParams['binary'];
        if (!binaryOnWasm(ins[0], ins[1], out, bp)) binaryKernel(ins[0], ins[1], out, bp);
        return;
      }
      case 'where': whereKernel(ins[0], ins[1], ins[2], out, p as KernelParams['where']); return;
      case 'reduce': reduceKernel(ins[0], out, p as KernelParams['reduce']); return;
      case 'matmul': matmulKernel(ins[0] as Float32Array, ins[1] as Float32Array, out as Float32Array, p as KernelParams['matmul']); return;
      case 'stridedCopy': stridedCopyKernel(ins[0], out, p as KernelParams['stridedCopy']); return;
      case 'stridedScatter': stridedScatterKernel(ins[0], out, p as KernelParams['stridedScatter']); return;
      case 'gather': gatherKernel(ins[0], ins[1], out, p as KernelParams['gather']); return;
      case 'scatterAdd': scatterAddKernel(ins[0], ins[1], out, p as KernelParams['scatterAdd']); return;
      default: throw new Error(`cpu: unknown kernel '${kernel as string}'`);
    }
  }
}

registerBackend('cpu', () => new CpuBackend());
