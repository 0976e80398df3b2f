// The backend contract. A backend owns buffers and runs named kernels on them; it knows nothing
// about tensors, autograd or op semantics (those live in primitives.ts / vjp.ts / ops/*).
// Every kernel below is implemented by the CPU backend (the reference); a WebGPU backend
// implements the same names and params in WGSL and registers itself with registerBackend().
import type { DType, TypedArray } from './dtype.ts';

/** Opaque handle to backend memory holding `size` elements of `dtype`. */
export interface BackendBuffer {
  readonly dtype: DType;
  readonly size: number;
}

export type UnaryOp =
  | 'neg' | 'exp' | 'log' | 'sqrt' | 'abs' | 'tanh' | 'sigmoid' | 'relu' | 'sin' | 'cos' | 'erf'
  | 'sign' | 'isinf' | 'isnan' | 'not';
export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'and' | 'or';
export type ReduceOp = 'sum' | 'max' | 'min' | 'argmax' | 'argmin';

/**
 * Kernel name → params. Shapes are row-major; "strides" are element strides into a flat buffer.
 * Unless said otherwise, outputs are fully overwritten. Integer division and float→int casts
 * truncate toward zero; reductions accumulate in at least float32 (CPU uses float64).
 */
export interface KernelParams {
  /** outputs[0][i] = value. */
  fill: { value: number };
  /** outputs[0][i] = convert(inputs[0][i]) to the output buffer's dtype (bool: x != 0). */
  cast: Record<string, never>;
  /** Elementwise on one input; output dtype = input dtype except isinf/isnan/not → bool. */
  unary: { op: UnaryOp };
  /** out[idx] = a[Σ idx·aStrides] op b[Σ idx·bStrides] over `shape`; a and b share a dtype. */
  binary: { op: BinaryOp; shape: number[]; aStrides: number[]; bStrides: number[] };
  /** out[idx] = cond[..] ? a[..] : b[..] with per-input strides over `shape`. */
  where: { shape: number[]; condStrides: number[]; aStrides: number[]; bStrides: number[] };
  /** Input viewed as [outer, size, inner], reduced over the middle axis → [outer, inner]. */
  reduce: { op: ReduceOp; outer: number; size: number; inner: number };
  /** batch × ([m,k] @ [k,n]); transA means A is stored [k,m], transB means B is stored [n,k]. */
  matmul: {
    batch: number; m: number; k: number; n: number;
    transA: boolean; transB: boolean; aBatchStride: number; bBatchStride: number;
  };
  /** out[idx] (contiguous over `shape`) = in[offset + Σ idx·strides]. Permute, expand, slice. */
  stridedCopy: { shape: number[]; strides: number[]; offset: number };
  /** out[offset + Σ idx·strides] = in[idx] for idx over `shape`; out keeps its other values. */
  stridedScatter: { shape: number[]; strides: number[]; offset: number };
  /** inputs [x, index(int32)]: out[idx] = x[Σ_{d≠dim} idx_d·xStrides_d + index[idx]·xStrides_dim]. */
  gather: { shape: number[]; xStrides: number[]; dim: number };
  /** inputs [index(int32), src]: out[pos] += src[Σ idx·srcStrides], pos like gather; accumulates. */
  scatterAdd: { shape: number[]; outStrides: number[]; srcStrides: number[]; dim: number };
}
export type KernelName = keyof KernelParams;

export interface Backend {
  readonly name: string;
  alloc(dtype: DType, size: number): BackendBuffer;
  free(buf: BackendBuffer): void;
  write(buf: BackendBuffer, data: TypedArray): void;
  /** Copy of the buffer's contents. The only asynchronous step in the engine. */
  read(buf: BackendBuffer): Promise<TypedArray>;
  /** Synchronous read where the memory is host-side (CPU); used for index validation. */
  readSync?(buf: BackendBuffer): TypedArray;
  /**
   * A host copy of the buffer's values where the backend keeps one that is still current
   * (WebGPU: the last values written or read back, until a kernel overwrites them); null
   * otherwise. Lets index validation run without a device read, and is what survives a lost device.
   */
  hostShadow?(buf: BackendBuffer): TypedArray | null;
  run<K extends KernelName>(kernel: K, inputs: BackendBuffer[], outputs: BackendBuffer[], params: KernelParams[K]): void;
  /** Bytes held in a reuse pool (0 if the backend does not pool). */
  pooledBytes(): number;
}

const registry = new Map<string, () => Backend>();
const instances = new Map<string, Backend>();
let current: Backend | null = null;
let defaultName = 'cpu';

/** Register a backend factory; the first call for a name creates the instance lazily. */
export function registerBackend(name: string, factory: () => Backend, opts: { makeDefault?: boolean } = {}): void {
  registry.set(name, factory);
  instances.delete(name);
  if (opts.makeDefault) defaultName = name;
}

export function setBackend(name: string): Backend {
  const b = backendByName(name);
  current = b;
  return b;
}

export function backendByName(name: string): Backend {
  let b = instances.get(name);
  if (!b) {
    const factory = registry.get(name);
    if (!factory) throw new Error(`setBackend: unknown backend '${name}' (registered: ${[...registry.keys()].join(', ')})`);
    b = factory();
    instances.set(name, b);
  }
  return b;
}

export function getBackend(): Backend {
  if (!current) current = backendByName(defaultName);
  return current;
}

export function listBackends(): string[] {
  return [...registry.keys()];
}
