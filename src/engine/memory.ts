// Storage reference counting, tidy scopes and the memory() report.
import type { Backend, BackendBuffer } from './backend.ts';
import { getBackend } from './backend.ts';
import { bytesPerElement } from './dtype.ts';
import type { DType } from './dtype.ts';

let liveBytes = 0;
let liveTensors = 0;

/** Every storage not yet freed, so a lost device's tensors can be moved to another backend. */
const liveStorages = new Set<Storage>();

/**
 * A backend buffer shared by a tensor and its reshapes; freed when the last user lets go.
 * `backend`/`buf` change only when a lost device's storages move to the CPU.
 */
export class Storage {
  refs = 1;
  readonly bytes: number;
  /** Set when the values were on a device that was lost before they were read back. */
  lost: string | null = null;
  constructor(public backend: Backend, public buf: BackendBuffer, readonly dtype: DType, readonly size: number) {
    this.bytes = size * bytesPerElement(dtype);
    liveBytes += this.bytes;
    liveStorages.add(this);
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
      liveStorages.delete(this);
    }
  }
}

export interface MigrationReport {
  /** Storages whose last known values now live on the target backend. */
  moved: number;
  /** Storages with no host copy: their values are gone, and using them throws `reason`. */
  lost: number;
}

/**
 * Move every live storage of `from` to `to`, using the host copies `from` kept (hostShadow).
 * Storages without one are marked lost with `lostMessage`; their tensors throw it when used.
 */
export function migrateStorages(from: Backend, to: Backend, lostMessage: string): MigrationReport {
  const report: MigrationReport = { moved: 0, lost: 0 };
  for (const s of liveStorages) {
    if (s.backend !== from || s.lost !== null) continue;
    const values = from.hostShadow?.(s.buf) ?? null;
    if (values === null) {
      s.lost = lostMessage;
      report.lost++;
      continue;
    }
    const buf = to.alloc(s.dtype, s.size);
    to.write(buf, values);
    from.free(s.buf);
    s.backend = to;
    s.buf = buf;
    report.moved++;
  }
  return report;
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
  /** Bytes a backend keeps in a reuse pool of freed buffers. */
  pooledBytes: number;
}

export function memory(): MemoryInfo {
  return { liveTensors, liveBytes, pooledBytes: getBackend().pooledBytes() };
}
