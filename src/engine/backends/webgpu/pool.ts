/// <reference types="@webgpu/types" />
// GPU buffers reused by size class and usage. Classes step by quarters between powers of two
// (≤ 25% slack), so a training loop that allocates the same shapes every step stops creating
// buffers after the first step.

export interface PooledBuffer {
  readonly gpu: GPUBuffer;
  readonly bytes: number;
  readonly usage: number;
  /** Submission epoch of the last command that used it (write() must not race a pending use). */
  lastUse: number;
}

export function sizeClass(bytes: number): number {
  if (bytes <= 256) return 256;
  const p = 2 ** Math.floor(Math.log2(bytes));
  const quarter = p / 4;
  return Math.ceil(bytes / quarter) * quarter;
}

export class BufferPool {
  private free = new Map<string, PooledBuffer[]>();
  private pooled = 0;

  /** Buffers beyond this many pooled bytes are destroyed instead of kept. */
  constructor(private device: GPUDevice, private readonly maxPooledBytes = 256 * 2 ** 20) {}

  acquire(bytes: number, usage: number): PooledBuffer {
    const size = sizeClass(bytes);
    const list = this.free.get(`${usage}:${size}`);
    const hit = list?.pop();
    if (hit) {
      this.pooled -= hit.bytes;
      return hit;
    }
    return { gpu: this.device.createBuffer({ size, usage }), bytes: size, usage, lastUse: -1 };
  }

  release(b: PooledBuffer): void {
    if (this.pooled + b.bytes > this.maxPooledBytes) {
      b.gpu.destroy();
      return;
    }
    const key = `${b.usage}:${b.bytes}`;
    let list = this.free.get(key);
    if (!list) this.free.set(key, (list = []));
    list.push(b);
    this.pooled += b.bytes;
  }

  pooledBytes(): number {
    return this.pooled;
  }

  /** Destroy every pooled buffer (device loss, dispose). */
  clear(): void {
    for (const list of this.free.values()) for (const b of list) b.gpu.destroy();
    this.free.clear();
    this.pooled = 0;
  }
}
