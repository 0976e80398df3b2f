// The Tensor handle: shape, dtype, a (shared) storage and its autograd bookkeeping.
// Ops and most methods are attached in tensor-methods.ts so this file stays the data model.
import type { DType, TypedArray } from './dtype.ts';
import { fmtShape, sizeOf } from './shape.ts';
import { Storage, trackTensor, untrackTensor } from './memory.ts';
import type { TensorMethods } from './tensor-methods.ts';

/** A recorded primitive application: which op made the tensor, from what, with which params. */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly params: unknown;
}

let nextId = 1;
let internalDepth = 0;

/**
 * @internal Run fn where tensors whose handle was disposed but whose data a graph still holds
 * may be read (VJPs during backward).
 */
export function withGraphAccess<T>(fn: () => T): T {
  internalDepth++;
  try {
    return fn();
  } finally {
    internalDepth--;
  }
}

export interface Tensor extends TensorMethods {}

export class Tensor {
  readonly id: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Accumulated gradient after backward(); null until then. */
  grad: Tensor | null = null;
  /** @internal backend storage (shared between a tensor and its reshapes) */
  _storage: Storage;
  /** @internal the primitive that produced this tensor, while the graph is alive */
  _node: GradNode | null = null;
  /** @internal the user's handle plus one per graph node that holds this tensor */
  _refs = 1;
  /** @internal set when backward freed the graph behind this tensor */
  _graphFreed = false;
  /** @internal name of the primitive that produced this tensor (kept after the graph is freed) */
  _gradFn: string | null = null;
  /** @internal keep .grad on a non-leaf (retainGrad) */
  _retainsGrad = false;
  private _requiresGrad = false;
  private _disposed = false;

  /** @internal use the creation functions (tensor, zeros, ...) instead. */
  constructor(storage: Storage, shape: readonly number[], dtype: DType) {
    this.id = nextId++;
    this._storage = storage;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    trackTensor(this);
  }

  get ndim(): number { return this.shape.length; }
  get size(): number { return sizeOf(this.shape); }
  numel(): number { return sizeOf(this.shape); }
  get isDisposed(): boolean { return this._disposed; }
  /** True for tensors not produced by a recorded op (parameters, inputs). */
  get isLeaf(): boolean { return this._node === null; }

  get requiresGrad(): boolean { return this._requiresGrad; }
  set requiresGrad(value: boolean) {
    if (value && this.dtype !== 'float32') {
      throw new Error(`requiresGrad: only float32 tensors can require gradients, got ${this.dtype}`);
    }
    if (!value && this._node) {
      throw new Error('requiresGrad: cannot turn off requiresGrad on a non-leaf tensor; use detach()');
    }
    this._requiresGrad = value;
  }

  /** @internal set by the autograd recorder without the leaf checks */
  _setRequiresGrad(v: boolean): void { this._requiresGrad = v; }

  /** Throws a clear error when a disposed tensor is used. */
  _assertLive(op: string): void {
    if (this._disposed && !(internalDepth > 0 && this._refs > 0)) throw new Error(`${op}: tensor ${fmtShape(this.shape)} ${this.dtype} was disposed and can no longer be used`);
    if (this._storage.lost !== null) throw new Error(`${op}: tensor ${fmtShape(this.shape)} ${this.dtype}: ${this._storage.lost}`);
  }

  /** Release this handle. Idempotent. A graph that still needs the data keeps it until backward. */
  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    untrackTensor();
    if (this.grad) { this.grad.dispose(); this.grad = null; }
    this._unref();
  }

  [Symbol.dispose](): void { this.dispose(); }

  /** @internal */
  _retain(): void { this._refs++; }

  /** @internal drop one reference; at zero free the storage and the graph node behind it. */
  _unref(): void {
    if (--this._refs > 0) return;
    this._storage.release();
    this._releaseNode();
  }

  /** @internal drop the grad node (after backward or when the tensor dies). */
  _releaseNode(): void {
    const node = this._node;
    if (!node) return;
    this._node = null;
    for (const input of node.inputs) input._unref();
  }

  /** Copy of the elements in row-major order. The engine's only async step (with array/item). */
  async data(): Promise<TypedArray> {
    this._assertLive('data');
    const storage = this._storage;
    const backend = storage.backend;
    try {
      return await backend.read(storage.buf);
    } catch (e) {
      // the device was lost during the read: the storage has moved (values kept) or is lost
      if (storage.backend !== backend || storage.lost !== null) {
        this._assertLive('data');
        return storage.backend.read(storage.buf);
      }
      throw e;
    }
  }

  /** Contents as nested arrays (numbers; bool gives 0/1). A 0-d tensor gives a number. */
  async array(): Promise<NestedArray> {
    const flat = await this.data();
    return nest(flat, this.shape);
  }

  /** The single value of a one-element tensor. */
  async item(): Promise<number> {
    this._assertLive('item');
    if (this.size !== 1) throw new Error(`item: only one-element tensors can be converted to a number, got shape ${fmtShape(this.shape)}`);
    return (await this.data())[0];
  }

  toString(): string {
    return `Tensor(shape=${fmtShape(this.shape)}, dtype=${this.dtype}${this._requiresGrad ? ', requiresGrad=true' : ''}) — await t.format() for values`;
  }
}

export type NestedArray = number | NestedArray[];

function nest(flat: ArrayLike<number>, shape: readonly number[]): NestedArray {
  if (shape.length === 0) return flat[0];
  let pos = 0;
  const build = (d: number): NestedArray[] => {
    const out: NestedArray[] = [];
    for (let i = 0; i < shape[d]; i++) out.push(d === shape.length - 1 ? flat[pos++] : build(d + 1));
    return out;
  };
  return build(0);
}
