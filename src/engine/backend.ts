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

/**
 * Optional fused kernels (float32 in and out, f32 accumulation). A composite op offers its work
 * to `runFused` first and falls back to primitives when the backend lacks it or declines; the
 * primitive composites stay the reference (the CPU backend's fused kernels, cpu-fused.ts, decline
 * while `setCpuFusion(false)`). Rows are contiguous unless an [outer, size, inner] layout is given
 * (reduced over the middle axis).
 */
export interface FusedParams {
  /** [x] → [y]: softmax, or log-softmax when `log`, over the middle axis. All -inf rows give NaN. */
  softmax: { outer: number; size: number; inner: number; log: boolean };
  /** softmax: [y, dy] → [dx] = y·(dy − Σ dy·y); log-softmax: [x, dy] → [dx] = dy − softmax(x)·Σ dy. */
  softmaxBackward: { outer: number; size: number; inner: number; log: boolean };
  /** [x, weight?, bias?] → [y]: layer norm of each of `rows` rows of `size` (biased variance). */
  layerNorm: { rows: number; size: number; eps: number; hasWeight: boolean; hasBias: boolean };
  /** [x, dy, weight?] → [dx, dy·x̂]; the caller sums dy·x̂ and dy over rows for the affine grads. */
  layerNormBackward: { rows: number; size: number; eps: number; hasWeight: boolean };
  /** [logits [rows, classes], target int32 [rows]] → [loss [rows]] = logsumexp − logit[target]; 0 where ignored, NaN if out of range. */
  crossEntropy: { rows: number; classes: number; ignoreIndex: number };
  /** [logits, target, dloss [rows]] → [dlogits] = (softmax − onehot(target))·dloss; 0 on ignored rows. */
  crossEntropyBackward: { rows: number; classes: number; ignoreIndex: number };
  /**
   * [q [B,L,E], k [B,S,E], v [B,S,Ev], mask?] → [out [B,L,Ev]] = softmax(q kᵀ·scale + mask) v, never
   * holding the [L, S] scores (online softmax over key blocks). B is the flattened `batchShape`;
   * the mask ('bool': true = attend, 'float': added) is read at Σ b_d·maskStrides[d] + l·maskStrideL +
   * s·maskStrideS. Rows with every key masked give NaN, like the composite.
   */
  attention: {
    batchShape: number[]; L: number; S: number; E: number; Ev: number; scale: number; causal: boolean;
    mask: 'none' | 'bool' | 'float'; maskStrides: number[]; maskStrideL: number; maskStrideS: number;
  };
  /**
   * [param, grad, expAvg, expAvgSq] → [param', expAvg', expAvgSq']: one Adam/AdamW step with the
   * composite's operation order (see optim/adam.ts); `bc2Sqrt` = √(1 − β2^t), `stepSize` = lr/(1 − β1^t).
   */
  adam: { size: number; lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; decoupled: boolean; bc2Sqrt: number; stepSize: number };
  /** [xProj [B,4H], hProj [B,4H], c [B,H]] → [hc [B,2H]] = [h', c'] of one LSTM step (gates i, f, g, o). */
  lstmCell: { batch: number; hidden: number };
  /** [xProj, hProj, c, dhc [B,2H]] → [dgates [B,4H], dc [B,H]]. */
  lstmCellBackward: { batch: number; hidden: number };
  /** [xProj [B,3H], hProj [B,3H], h [B,H]] → [h' [B,H]] of one GRU step (gates r, z, n; hProj includes b_hh). */
  gruCell: { batch: number; hidden: number };
  /** [xProj, hProj, h, dh' [B,H]] → [dxProj [B,3H], dhProj [B,3H], dh [B,H]]. */
  gruCellBackward: { batch: number; hidden: number };
  /**
   * [xProj [T,B,G·H], wHh [G·H,H], bHh [G·H]?, h0 [B,H], c0 [B,H] (LSTM only)] → [out [T,B,H],
   * cN [B,H] (LSTM only)]: every step of one recurrent layer in one direction (`reverse`: t from
   * T−1 down), with the per-step path's arithmetic (hProj = h·W_hhᵀ + b_hh, then the cell), for
   * inference only: nothing is recorded for autograd. G = 4 (LSTM), 3 (GRU), 1 (tanh/ReLU RNN).
   */
  rnnLayer: { kind: 'LSTM' | 'GRU' | 'RNN_TANH' | 'RNN_RELU'; steps: number; batch: number; hidden: number; hasBias: boolean; reverse: boolean };
}
export type FusedName = keyof FusedParams;

/**
 * A range check of int32 index values: the first value v (in flat order) with v < low or
 * v ≥ high, other than `skip`, makes `message(v)` the error. See Backend.checkIndices.
 */
export interface IndexCheck {
  low: number;
  high: number;
  skip: number | null;
  message: (value: number) => string;
}

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
  /**
   * Check index values that only the device holds, in order with the kernels: the next read
   * (or sync) after a failing check rejects with the check's message. Backends with host
   * memory never get here (the caller checks `readSync`/`hostShadow` data itself).
   */
  checkIndices?(index: BackendBuffer, check: IndexCheck): void;
  run<K extends KernelName>(kernel: K, inputs: BackendBuffer[], outputs: BackendBuffer[], params: KernelParams[K]): void;
  /** Bytes held in a reuse pool (0 if the backend does not pool). */
  pooledBytes(): number;
  /** Run a fused kernel; false when this backend has none for these arguments (use primitives). */
  runFused?<K extends FusedName>(name: K, inputs: BackendBuffer[], outputs: BackendBuffer[], params: FusedParams[K]): boolean;
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
