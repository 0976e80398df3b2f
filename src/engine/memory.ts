// Storage reference counting, tidy scopes and the memory() report.
import type { Backend, BackendBuffer } from './backend.ts';
import { getBackend } from './backend.ts';
import { bytesPerElement } from './dtype.ts';
import type { DType } from './dtype.ts';

let liveBytes = 0;
let liveTensors = 0;

/** A backend buffer shared by a tensor and its reshapes; freed when the last user lets go. */
export class Storage {
  refs = 1;
  readonly bytes: number;
  constructor(readonly backend: Backend, readonly buf: BackendBuffer, readonly dtype: DType, readonly size: number) {
    this.bytes = size * bytesPerElement(dtype);
    liveBytes += this.bytes;
  }
  static alloc(dtype: DType, size: number, backend: Backend = getBackend()): Storage {
    return new Storage(backend, backend.alloc(dtype, size), dtype, size);
  }
  retain(): void {
    this.refs++;
  }
  release(): void {
    if (--this.refs === 0) {
      this.backend.free(this.buf);
      liveBytes -= this.bytes;
    }
  }
}

/** Anything with a dispose step that tidy() tracks (tensors). */
export interface Disposable {
  dispose(): void;
  readonly isDisposed: boolean;
}

const scopes: Set<Disposable>[] = [];

export function trackTensor(t: Disposable): void {
  liveTensors++;
  if (scopes.length > 0) scopes[scopes.length - 1].add(t);
}

export function untrackTensor(): void {
  liveTensors--;
}

/** Remove a tensor from every open tidy scope so it outlives them (e.g. gradients). */
export function keep<T extends Disposable>(t: T): T {
  for (const s of scopes) s.delete(t);
  return t;
}

function collect(value: unknown, out: Set<unknown>, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 8) return;
  if ('dispose' in value && 'isDisposed' in value) { out.add(value); return; }
  if (Array.isArray(value)) { for (const v of value) collect(v, out, depth + 1); return; }
  if (value instanceof Map) { for (const v of value.values()) collect(v, out, depth + 1); return; }
  if (Object.getPrototypeOf(value) === Object.prototype) for (const v of Object.values(value)) collect(v, out, depth + 1);
}

/**
 * Run fn and dispose every tensor created inside it except those it returns (found in the
 * returned value, arrays, Maps and plain objects). Returned tensors move to the enclosing scope.
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Disposable>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    for (const t of scope) t.dispose();
    throw e;
  }
  scopes.pop();
  if (result instanceof Promise) {
    for (const t of scope) t.dispose();
    throw new Error('tidy: fn returned a Promise; tidy only works with synchronous functions (await outside tidy)');
  }
  const kept = new Set<unknown>();
  collect(result, kept);
  for (const t of scope) {
    if (kept.has(t)) {
      if (scopes.length > 0) scopes[scopes.length - 1].add(t);
    } else {
      t.dispose();
    }
  }
  return result;
}

export interface MemoryInfo {
  /** Tensor handles not yet disposed (includes .grad tensors). */
  liveTensors: number;
  /** Bytes of backend memory held by live storages (tensors and graphs kept for backward). */
  liveBytes: number;
  /** Bytes a backend keeps in a reuse pool (0 on CPU). */
  pooledBytes: number;
}

export function memory(): MemoryInfo {
  return { liveTensors, liveBytes, pooledBytes: getBackend().pooledBytes() };
}
