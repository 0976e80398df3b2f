// Backend buffer handles and what a lost device throws; typed views of read-back words.
import type { BackendBuffer } from '../../backend.ts';
import type { DType, TypedArray } from '../../dtype.ts';
import type { PooledBuffer } from './pool.ts';

export class WebGpuBuffer implements BackendBuffer {
  /** Host copy of the last written or read values while no kernel has overwritten them. */
  shadow: TypedArray | null = null;
  /** Bumped by every write or kernel output, so a late read does not record a stale shadow. */
  version = 0;
  freed = false;
  constructor(readonly dtype: DType, readonly size: number, readonly mem: PooledBuffer) {}
}

export class WebGpuDeviceLostError extends Error {
  constructor(readonly op: string, readonly reason: string) {
    super(`${op}: the WebGPU device was lost (${reason}). Nothing more can be computed or read on 'webgpu'; ` +
      `the engine carries on on the CPU backend (setBackend('cpu')) with the tensors whose values had been read back.`);
    this.name = 'WebGpuDeviceLostError';
  }
}

export function emptyTyped(dtype: DType): TypedArray {
  return dtype === 'float32' ? new Float32Array(0) : dtype === 'int32' ? new Int32Array(0) : new Uint8Array(0);
}

export function fromWords(raw: ArrayBuffer, dtype: DType): TypedArray {
  if (dtype === 'float32') return new Float32Array(raw);
  if (dtype === 'int32') return new Int32Array(raw);
  return Uint8Array.from(new Uint32Array(raw));
}
