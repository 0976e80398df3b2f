// f16 copies of float32 buffers for kernels that read f16 storage (opt-in matmul). A copy is
// made by one conversion dispatch and reused while its buffer's values are unchanged (its
// version), so weights convert once and every later matmul reads half the bytes.
import type { DType } from '../../dtype.ts';
import { planToF16 } from './kernels-matmul.ts';
import type { BufferPool, PooledBuffer } from './pool.ts';
import type { Dispatch } from './wgsl.ts';

const USAGE_COPY_SRC = 0x4, USAGE_COPY_DST = 0x8, USAGE_STORAGE = 0x80;

/** What the backend's buffers look like to this module. */
export interface VersionedBuffer {
  readonly dtype: DType;
  readonly size: number;
  readonly mem: PooledBuffer;
  version: number;
}

export class HalfCopies<B extends VersionedBuffer> {
  private readonly copies = new Map<B, { version: number; half: B }>();

  constructor(
    private readonly pool: BufferPool,
    /** Wraps pooled memory as a backend buffer (bindable like any other). */
    private readonly wrap: (size: number, mem: PooledBuffer) => B,
    private readonly dispatch: (d: Dispatch, buffers: B[]) => void,
  ) {}

  /** The f16 copy of `b`, converting now (recorded in order) if b changed since the last copy. */
  of(b: B): B {
    let entry = this.copies.get(b);
    if (entry && entry.version === b.version) return entry.half;
    if (!entry) {
      const mem = this.pool.acquire(Math.max(8, Math.ceil(b.size / 2) * 4), USAGE_STORAGE | USAGE_COPY_SRC | USAGE_COPY_DST);
      entry = { version: b.version, half: this.wrap(b.size, mem) };
      this.copies.set(b, entry);
    }
    entry.version = b.version;
    for (const d of planToF16(b.size)) this.dispatch(d, [b, entry.half]);
    return entry.half;
  }

  /** Forget b's copy (b was freed or overwritten for good). */
  drop(b: B): void {
    const entry = this.copies.get(b);
    if (!entry) return;
    this.copies.delete(b);
    this.pool.release(entry.half.mem);
  }

  /** Bytes held by copies (not counted as tensors by memory()). */
  bytes(): number {
    let n = 0;
    for (const e of this.copies.values()) n += e.half.mem.bytes;
    return n;
  }
}
