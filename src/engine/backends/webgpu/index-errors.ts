/// <reference types="@webgpu/types" />
// The GPU side of index validation: checks (kernels-index-check.ts) write the first bad index
// into a small error flag; a read copies the flag into its own submit, clears it, and rejects
// with the failing check's message. Nothing is copied when no check ran since the last copy,
// so reads cost the same as before when no index op touched GPU-computed indices.
import type { IndexCheck } from '../../backend.ts';
import { ERROR_FLAG_WORDS } from './kernels-index-check.ts';
import type { BufferPool, PooledBuffer } from './pool.ts';

const USAGE_MAP_READ = 0x1, USAGE_COPY_SRC = 0x4, USAGE_COPY_DST = 0x8, USAGE_STORAGE = 0x80;
const MAP_READ = 0x1;
const FLAG_BYTES = ERROR_FLAG_WORDS * 4;

/** A copy of the flag on its way to the host, covering checks with ids in [from, to). */
export interface FlagCopy {
  staging: PooledBuffer;
  from: number;
  to: number;
}

export class IndexErrorFlag {
  /** Zeroed at creation (WebGPU clears new buffers); never pooled, so never reused dirty. */
  readonly mem: PooledBuffer;
  private readonly checks = new Map<number, IndexCheck>();
  private nextId = 1;
  /** First check id that no copy of the flag covers yet. */
  private uncopiedFrom = 1;

  constructor(device: GPUDevice, private readonly pool: BufferPool) {
    const gpu = device.createBuffer({ size: FLAG_BYTES, usage: USAGE_STORAGE | USAGE_COPY_SRC | USAGE_COPY_DST });
    this.mem = { gpu, bytes: FLAG_BYTES, usage: USAGE_STORAGE | USAGE_COPY_SRC | USAGE_COPY_DST, lastUse: -1 };
  }

  /** Remembers a check's message; its id goes to the kernel. */
  register(check: IndexCheck): number {
    const id = this.nextId++;
    this.checks.set(id, check);
    return id;
  }

  /** Checks were recorded that no copy of the flag has covered yet. */
  get pending(): boolean {
    return this.nextId > this.uncopiedFrom;
  }

  /** Record copy-then-clear of the flag (outside any compute pass); null when nothing is pending. */
  recordCopy(encoder: GPUCommandEncoder): FlagCopy | null {
    if (!this.pending) return null;
    const staging = this.pool.acquire(FLAG_BYTES, USAGE_MAP_READ | USAGE_COPY_DST);
    encoder.copyBufferToBuffer(this.mem.gpu, 0, staging.gpu, 0, FLAG_BYTES);
    encoder.clearBuffer(this.mem.gpu, 0, FLAG_BYTES);
    const copy = { staging, from: this.uncopiedFrom, to: this.nextId };
    this.uncopiedFrom = this.nextId;
    return copy;
  }

  /** After the copy's submit: the failing check's error, or null. Forgets the covered checks. */
  async settle(copy: FlagCopy): Promise<Error | null> {
    await copy.staging.gpu.mapAsync(MAP_READ, 0, FLAG_BYTES);
    const words = new Uint32Array(copy.staging.gpu.getMappedRange(0, FLAG_BYTES).slice(0));
    copy.staging.gpu.unmap();
    this.pool.release(copy.staging);
    const id = words[0];
    const check = id !== 0 ? this.checks.get(id) : undefined;
    for (let k = copy.from; k < copy.to; k++) this.checks.delete(k);
    if (!check) return null;
    return new Error(check.message(new Int32Array(words.buffer)[2]));
  }
}
