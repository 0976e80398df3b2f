// The CPU backend: buffers are plain typed arrays; kernels run synchronously.
import type { Backend, BackendBuffer, KernelName, KernelParams } from '../backend.ts';
import { registerBackend } from '../backend.ts';
import { allocTyped } from '../dtype.ts';
import type { DType, TypedArray } from '../dtype.ts';
import {
  binaryKernel, castKernel, gatherKernel, reduceKernel, scatterAddKernel, stridedCopyKernel,
  stridedScatterKernel, unaryKernel, whereKernel,
} from './cpu-kernels.ts';
import { matmulKernel } from './cpu-matmul.ts';
import { UNARY_MIN, fastMathKernels, unaryWasm } from './cpu-wasm.ts';

export class CpuBuffer implements BackendBuffer {
  constructor(readonly dtype: DType, readonly data: TypedArray) {}
  get size(): number { return this.data.length; }
}

function host(b: BackendBuffer): TypedArray {
  return (b as CpuBuffer).data;
}

// Small arrays freed by their storage are kept for the next allocation of the same dtype and
// size. V8 gives every typed array its own memory outside the heap, which cost ≈2 µs for 192
// floats here: a quarter of a small op, and most of the per-step cost of an RNN. Large arrays
// are left to the garbage collector: their work dwarfs the allocation, and pooling would pin them.
const POOLED_MAX_ELEMENTS = 1 << 16;
const POOL_MAX_BYTES = 16 << 20;

class ArrayPool {
  private readonly free = new Map<DType, Map<number, TypedArray[]>>();
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

  run<K extends KernelName>(kernel: K, inputs: BackendBuffer[], outputs: BackendBuffer[], params: KernelParams[K]): void {
    const ins = inputs.map(host);
    const out = host(outputs[0]);
    const p = params as KernelParams[KernelName];
    switch (kernel) {
      case 'fill': out.fill((p as KernelParams['fill']).value); return;
      case 'cast': castKernel(ins[0], out); return;
      case 'unary': {
        const op = (p as KernelParams['unary']).op;
        // exp and erf (softmax, GELU) cost tens of ns an element in JS: SIMD on the 'wasm-f32' tier
        const w = (op === 'exp' || op === 'erf') && out.length >= UNARY_MIN && out instanceof Float32Array ? fastMathKernels() : null;
        if (!w || !unaryWasm(w, op as 'exp' | 'erf', ins[0] as Float32Array, out as Float32Array)) unaryKernel(op, ins[0], out);
        return;
      }
      case 'binary': binaryKernel(ins[0], ins[1], out, p as KernelParams['binary']); return;
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
