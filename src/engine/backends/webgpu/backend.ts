/// <reference types="@webgpu/types" />
// The WebGPU backend: buffers from a pool, kernels planned into dispatches (kernels-*.ts),
// dispatches recorded into one command encoder and submitted only when a read, a racing write
// or a full uniform arena needs it. A kernel with no WGSL plan runs on the CPU reference:
// its inputs are read back asynchronously while later work queues up behind it in order.
import type { Backend, BackendBuffer, FusedName, FusedParams, IndexCheck, KernelName, KernelParams } from '../../backend.ts';
import type { DType, TypedArray } from '../../dtype.ts';
import { CpuBackend } from '../cpu.ts';
import type { WebGpuContext } from './device.ts';
import { planFused } from './kernels-fused.ts';
import { planKernel } from './plan-kernel.ts';
import { matmulIsTiled, planMatmul } from './kernels-matmul.ts';
import { HalfCopies } from './half-copies.ts';
import { ERROR_FLAG_WORDS, planIndexCheck } from './kernels-index-check.ts';
import { IndexErrorFlag } from './index-errors.ts';
import type { PooledBuffer } from './pool.ts';
import { WebGpuBuffer, WebGpuDeviceLostError, emptyTyped, fromWords } from './buffer.ts';

export { WebGpuBuffer, WebGpuDeviceLostError } from './buffer.ts';
import { BufferPool } from './pool.ts';
import type { Dispatch } from './wgsl.ts';
import { PARAM_SLOTS } from './wgsl.ts';

// GPUBufferUsage / GPUMapMode values, spelled out so this module needs no globals at load time.
const USAGE_MAP_READ = 0x1, USAGE_COPY_SRC = 0x4, USAGE_COPY_DST = 0x8, USAGE_UNIFORM = 0x40, USAGE_STORAGE = 0x80;
const MAP_READ = 0x1;
const TENSOR_USAGE = USAGE_STORAGE | USAGE_COPY_SRC | USAGE_COPY_DST;
const STAGING_USAGE = USAGE_MAP_READ | USAGE_COPY_DST;
/** Dispatches per submit (one 256-byte uniform slot each). */
const ARENA_SLOTS = 512;
const SLOT_BYTES = PARAM_SLOTS * 4;

export interface WebGpuBackendOptions {
  /** Keep a host copy of written/read values for migration after device loss (default true). */
  keepShadows?: boolean;
  /** Called once when the device is lost. */
  onDeviceLost?: (reason: string) => void;
  /**
   * Store matmul operands as f16 (accumulating in f32) where the adapter has 'shader-f16':
   * half the bytes read, about 3 significant digits per input. Ignored, with a one-time note,
   * where the feature is missing. Default false; see WebGpuBackend.setF16.
   */
  f16?: boolean;
}

let f16NoteShown = false;

type Buf = WebGpuBuffer;

export class WebGpuBackend implements Backend {
  readonly name = 'webgpu';
  readonly device: GPUDevice;
  readonly adapterInfo: WebGpuContext['adapterInfo'];
  readonly features: string[];
  private readonly pool: BufferPool;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  /** Count of submits so far; commands recorded now belong to epoch `epoch`. */
  private epoch = 0;
  private readonly arenaHost = new Uint32Array(ARENA_SLOTS * PARAM_SLOTS);
  private readonly arena: GPUBuffer;
  private arenaUsed = 0;
  /** Set while a CPU-fallback kernel waits for its inputs; later work queues in `deferred`. */
  private blocked: Promise<void> | null = null;
  private deferred: (() => void)[] = [];
  private streamError: Error | null = null;
  private lostReason: string | null = null;
  private readonly lostSignal: Promise<never>;
  private readonly warned = new Set<string>();
  private readonly cpu = new CpuBackend();
  private readonly keepShadows: boolean;
  private readonly lostListeners: ((reason: string) => void)[] = [];
  private destroyed = false;
  /** Upload buffers used by the commands being recorded; back to the pool after submit. */
  private inFlightStaging: PooledBuffer[] = [];
  /** First bad index found by a GPU-side check; made on the first check. */
  private indexErrors: IndexErrorFlag | null = null;
  private indexErrorBuf: Buf | null = null;
  private readonly halves: HalfCopies<Buf>;
  private f16On = false;
  /** Dispatches and submits so far (for tests and benchmarks). */
  readonly stats = { dispatches: 0, submits: 0, pipelines: 0, hostFallbacks: 0, f16Matmuls: 0 };

  constructor(ctx: WebGpuContext, opts: WebGpuBackendOptions = {}) {
    this.device = ctx.device;
    this.adapterInfo = ctx.adapterInfo;
    this.features = ctx.features;
    this.keepShadows = opts.keepShadows ?? true;
    if (opts.onDeviceLost) this.lostListeners.push(opts.onDeviceLost);
    this.pool = new BufferPool(this.device);
    this.halves = new HalfCopies<Buf>(this.pool, (size, mem) => new WebGpuBuffer('float32', size, mem), (d, bufs) => this.dispatch(d, bufs));
    this.setF16(opts.f16 ?? false);
    this.arena = this.device.createBuffer({ size: ARENA_SLOTS * SLOT_BYTES, usage: USAGE_UNIFORM | USAGE_COPY_DST });
    this.lostSignal = this.device.lost.then((info) => {
      this.markLost(info.message || info.reason || 'unknown');
      throw new WebGpuDeviceLostError('read', this.lostReason ?? 'unknown');
    });
    this.lostSignal.catch(() => {});
    this.device.addEventListener('uncapturederror', (e) => {
      const msg = (e as GPUUncapturedErrorEvent).error.message;
      this.streamError ??= new Error(`webgpu: ${msg}`);
    });
  }

  /** Whether matmuls read f16 copies of their operands (see WebGpuBackendOptions.f16). */
  get f16(): boolean {
    return this.f16On;
  }

  /** Turn f16 matmul storage on or off; resolves to whether it is on (off without 'shader-f16'). */
  setF16(on: boolean): boolean {
    if (on && !this.features.includes('shader-f16')) {
      if (!f16NoteShown) {
        f16NoteShown = true;
        console.info("webgpu: f16 storage was asked for, but this adapter has no 'shader-f16'; matmuls stay in f32 (shown once)");
      }
      on = false;
    }
    this.f16On = on;
    return on;
  }

  /** Register a callback for device loss (the engine switches to CPU there). */
  onDeviceLost(cb: (reason: string) => void): void {
    this.lostListeners.push(cb);
    if (this.lostReason !== null) cb(this.lostReason);
  }

  get isLost(): boolean {
    return this.lostReason !== null;
  }

  /** Last values written to or read from `buf`, if still current; null after a kernel overwrote it. */
  hostShadow(buf: BackendBuffer): TypedArray | null {
    return (buf as Buf).shadow;
  }

  private markLost(reason: string): void {
    if (this.lostReason !== null) return;
    this.lostReason = reason;
    if (this.destroyed) return; // destroy() was asked for: nothing to report
    this.encoder = null;
    this.pass = null;
    this.deferred = [];
    // the engine's listener (initWebGPU) explains what it did; warn here only without one
    if (this.lostListeners.length === 0) console.warn(`webgpu: device lost (${reason}); further WebGPU work fails — use setBackend('cpu')`);
    for (const cb of this.lostListeners) {
      try { cb(reason); } catch { /* a listener's failure must not hide the loss */ }
    }
  }

  private checkLost(op: string): void {
    if (this.lostReason !== null) throw new WebGpuDeviceLostError(op, this.lostReason);
  }

  alloc(dtype: DType, size: number): BackendBuffer {
    this.checkLost('alloc');
    return new WebGpuBuffer(dtype, size, this.pool.acquire(Math.max(4, size * 4), TENSOR_USAGE));
  }

  free(buf: BackendBuffer): void {
    const b = buf as Buf;
    if (b.freed) return;
    b.freed = true;
    b.shadow = null;
    this.halves.drop(b);
    // Reuse is safe even with work queued behind a CPU fallback: every later use of this
    // memory is queued after the uses of the old handle.
    if (this.lostReason === null) this.pool.release(b.mem);
  }

  write(buf: BackendBuffer, data: TypedArray): void {
    this.checkLost('write');
    const b = buf as Buf;
    b.version++;
    b.shadow = this.keepShadows ? data.slice() : null;
    if (this.blocked) {
      const copy = b.shadow ?? data.slice();
      this.deferred.push(() => this.writeNow(b, copy));
      return;
    }
    this.writeNow(b, data);
  }

  private writeNow(b: Buf, data: TypedArray): void {
    if (b.size === 0 || this.lostReason !== null) return;
    const words = b.dtype === 'bool' ? Uint32Array.from(data as Uint8Array) : data;
    const bytes = b.size * 4;
    if (b.mem.lastUse === this.epoch && this.encoder) {
      // queue.writeBuffer would land before commands still being recorded that use b's memory:
      // stage the data and record the copy in order instead of submitting early.
      const staging = this.pool.acquire(bytes, USAGE_COPY_SRC | USAGE_COPY_DST);
      this.device.queue.writeBuffer(staging.gpu, 0, words.buffer, words.byteOffset, bytes);
      this.endPass();
      this.encoder.copyBufferToBuffer(staging.gpu, 0, b.mem.gpu, 0, bytes);
      this.inFlightStaging.push(staging);
      return;
    }
    this.device.queue.writeBuffer(b.mem.gpu, 0, words.buffer, words.byteOffset, bytes);
  }

  read(buf: BackendBuffer): Promise<TypedArray> {
    if (this.lostReason !== null) return Promise.reject(new WebGpuDeviceLostError('read', this.lostReason));
    const b = buf as Buf;
    const version = b.version;
    const remember = (data: TypedArray): TypedArray => {
      if (this.keepShadows && b.version === version && !b.freed) b.shadow = data.slice();
      return data;
    };
    if (this.blocked) {
      return new Promise<TypedArray>((resolve, reject) => {
        this.deferred.push(() => { this.readNow(b).then(resolve, reject); });
      }).then(remember);
    }
    return this.readNow(b).then(remember);
  }

  /**
   * Index values only the GPU has: check them in order with the kernels; the next read or
   * sync whose submit covers the check rejects with `check.message(value)` for the first bad one.
   */
  checkIndices(index: BackendBuffer, check: IndexCheck): void {
    this.checkLost('checkIndices');
    const b = index as Buf;
    if (b.size === 0) return;
    if (this.blocked) this.deferred.push(() => this.checkIndicesNow(b, check));
    else this.checkIndicesNow(b, check);
  }

  private checkIndicesNow(b: Buf, check: IndexCheck): void {
    if (this.lostReason !== null) return;
    this.indexErrors ??= new IndexErrorFlag(this.device, this.pool);
    this.indexErrorBuf ??= new WebGpuBuffer('int32', ERROR_FLAG_WORDS, this.indexErrors.mem);
    const id = this.indexErrors.register(check);
    for (const d of planIndexCheck(b.size, check, id)) this.dispatch(d, [b, this.indexErrorBuf]);
  }

  private readNow(b: Buf): Promise<TypedArray> {
    const error = this.takeError();
    if (error) return Promise.reject(error);
    if (this.lostReason !== null) return Promise.reject(new WebGpuDeviceLostError('read', this.lostReason));
    if (b.size === 0) return Promise.resolve(emptyTyped(b.dtype));
    const bytes = b.size * 4;
    const staging = this.pool.acquire(bytes, STAGING_USAGE);
    this.endPass();
    this.encoder ??= this.device.createCommandEncoder();
    this.encoder.copyBufferToBuffer(b.mem.gpu, 0, staging.gpu, 0, bytes);
    // the index checks recorded so far travel in this submit too (no extra submit)
    const flagCopy = this.indexErrors?.recordCopy(this.encoder) ?? null;
    this.flush();
    const indexError = flagCopy ? this.indexErrors!.settle(flagCopy) : Promise.resolve(null);
    indexError.catch(() => {}); // awaited below; a lost device rejects both
    const mapped = staging.gpu.mapAsync(MAP_READ, 0, bytes).then(async () => {
      const raw = staging.gpu.getMappedRange(0, bytes).slice(0);
      staging.gpu.unmap();
      this.pool.release(staging);
      const error = this.takeError() ?? await indexError;
      if (error) throw error;
      return fromWords(raw, b.dtype);
    });
    // A destroyed device may never settle mapAsync: the loss signal ends the wait.
    return Promise.race([mapped, this.lostSignal]).catch((e: unknown) => {
      if (this.lostReason !== null) throw new WebGpuDeviceLostError('read', this.lostReason);
      throw e;
    });
  }

  private takeError(): Error | null {
    const e = this.streamError;
    this.streamError = null;
    return e;
  }

  pooledBytes(): number {
    return this.pool.pooledBytes();
  }

  run<K extends KernelName>(kernel: K, inputs: BackendBuffer[], outputs: BackendBuffer[], params: KernelParams[K]): void {
    this.checkLost(kernel);
    for (const o of outputs as Buf[]) { o.version++; o.shadow = null; }
    if (this.blocked) {
      this.deferred.push(() => this.runNow(kernel, inputs as Buf[], outputs as Buf[], params));
      return;
    }
    this.runNow(kernel, inputs as Buf[], outputs as Buf[], params);
  }

  /** Fused kernels (see FusedParams); false where no WGSL plan fits, and the caller uses primitives. */
  runFused<K extends FusedName>(name: K, inputs: BackendBuffer[], outputs: BackendBuffer[], params: FusedParams[K]): boolean {
    this.checkLost(name);
    const plan = planFused(name, params);
    if (plan === null) return false;
    for (const o of outputs as Buf[]) { o.version++; o.shadow = null; }
    if (this.blocked) this.deferred.push(() => this.execute(plan, inputs as Buf[], outputs as Buf[]));
    else this.execute(plan, inputs as Buf[], outputs as Buf[]);
    return true;
  }

  private runNow<K extends KernelName>(kernel: K, inputs: Buf[], outputs: Buf[], params: KernelParams[K]): void {
    if (this.lostReason !== null) return;
    if (kernel === 'matmul' && this.f16On && this.runMatmulF16(inputs, outputs, params as KernelParams['matmul'])) return;
    const plan = planKernel(kernel, inputs, outputs, params);
    if (plan === null) {
      this.runOnHost(kernel, inputs, outputs, params, 'has no WebGPU kernel for these arguments');
      return;
    }
    this.execute(plan, inputs, outputs);
  }

  /** Tiled float32 matmuls read f16 copies of A and B (converted once per version). */
  private runMatmulF16(inputs: Buf[], outputs: Buf[], p: KernelParams['matmul']): boolean {
    if (inputs[0].dtype !== 'float32' || inputs[1].dtype !== 'float32' || outputs[0].size === 0 || !matmulIsTiled(p)) return false;
    const a = this.halves.of(inputs[0]);
    const b = this.halves.of(inputs[1]);
    this.execute(planMatmul(p, 'f16'), [a, b], outputs);
    this.stats.f16Matmuls++;
    return true;
  }

  private execute(plan: Dispatch[], inputs: Buf[], outputs: Buf[]): void {
    if (this.lostReason !== null) return;
    // An output bound as an input too would be a read/write hazard: read a copy instead.
    const ins = inputs.map((b) => (outputs.includes(b) ? this.copyOf(b) : b));
    for (const d of plan) this.dispatch(d, [...ins, ...outputs]);
    for (const b of ins) if (!inputs.includes(b)) this.free(b);
  }

  private copyOf(b: Buf): Buf {
    const c = new WebGpuBuffer(b.dtype, b.size, this.pool.acquire(Math.max(4, b.size * 4), TENSOR_USAGE));
    this.endPass();
    this.encoder ??= this.device.createCommandEncoder();
    this.encoder.copyBufferToBuffer(b.mem.gpu, 0, c.mem.gpu, 0, Math.max(4, b.size * 4));
    c.mem.lastUse = b.mem.lastUse = this.epoch;
    return c;
  }

  private runOnHost<K extends KernelName>(kernel: K, inputs: Buf[], outputs: Buf[], params: KernelParams[K], why: string): void {
    this.stats.hostFallbacks++;
    if (!this.warned.has(kernel)) {
      this.warned.add(kernel);
      console.warn(`webgpu: kernel '${kernel}' ${why}; running it on the CPU and copying the result back (shown once)`);
    }
    const reads = [...inputs, ...outputs].map((b) => this.readNow(b));
    this.blocked = (async () => {
      const data = await Promise.all(reads);
      const wrap = (b: Buf, d: TypedArray) => { const c = this.cpu.alloc(b.dtype, b.size); this.cpu.write(c, d); return c; };
      const cin = inputs.map((b, i) => wrap(b, data[i]));
      const cout = outputs.map((b, j) => wrap(b, data[inputs.length + j]));
      this.cpu.run(kernel, cin, cout, params);
      outputs.forEach((b, j) => this.writeNow(b, this.cpu.readSync(cout[j])));
    })().catch((e: unknown) => {
      this.streamError ??= e instanceof Error ? e : new Error(String(e));
    }).finally(() => {
      this.blocked = null;
      while (this.deferred.length > 0 && !this.blocked) this.deferred.shift()!();
    });
  }

  private pipeline(d: Dispatch): GPUComputePipeline {
    let p = this.pipelines.get(d.key);
    if (!p) {
      const module = this.device.createShaderModule({ code: d.code(), label: d.key });
      p = this.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: d.key });
      this.pipelines.set(d.key, p);
      this.stats.pipelines++;
    }
    return p;
  }

  private dispatch(d: Dispatch, buffers: Buf[]): void {
    if (this.arenaUsed === ARENA_SLOTS) this.flush();
    const slot = this.arenaUsed++;
    this.arenaHost.set(d.params, slot * PARAM_SLOTS);
    const pipeline = this.pipeline(d);
    const bindGroup = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.arena, offset: slot * SLOT_BYTES, size: SLOT_BYTES } },
        ...buffers.map((b, i) => ({ binding: i + 1, resource: { buffer: b.mem.gpu } })),
      ],
    });
    this.encoder ??= this.device.createCommandEncoder();
    this.pass ??= this.encoder.beginComputePass();
    this.pass.setPipeline(pipeline);
    this.pass.setBindGroup(0, bindGroup);
    this.pass.dispatchWorkgroups(d.workgroups[0], d.workgroups[1], d.workgroups[2]);
    for (const b of buffers) b.mem.lastUse = this.epoch;
    this.stats.dispatches++;
  }

  private endPass(): void {
    if (this.pass) { this.pass.end(); this.pass = null; }
  }

  /** Submit everything recorded so far. */
  flush(): void {
    if (!this.encoder || this.lostReason !== null) return;
    this.endPass();
    if (this.arenaUsed > 0) this.device.queue.writeBuffer(this.arena, 0, this.arenaHost.buffer, 0, this.arenaUsed * SLOT_BYTES);
    this.device.queue.submit([this.encoder.finish()]);
    this.encoder = null;
    this.arenaUsed = 0;
    this.epoch++;
    for (const st of this.inFlightStaging) this.pool.release(st);
    this.inFlightStaging = [];
    this.stats.submits++;
  }

  /** Resolves when all submitted work has finished (and any CPU fallback has run). */
  async sync(): Promise<void> {
    while (this.blocked) await this.blocked;
    let indexError: Promise<Error | null> = Promise.resolve(null);
    if (this.indexErrors?.pending && this.lostReason === null) {
      this.endPass();
      this.encoder ??= this.device.createCommandEncoder();
      const copy = this.indexErrors.recordCopy(this.encoder)!;
      this.flush();
      indexError = this.indexErrors.settle(copy);
    } else {
      this.flush();
    }
    await Promise.race([this.device.queue.onSubmittedWorkDone(), this.lostSignal]);
    const error = this.takeError() ?? await Promise.race([indexError, this.lostSignal]);
    if (error) throw error;
  }

  /** Release every GPU resource; the backend cannot be used afterwards. */
  destroy(): void {
    this.destroyed = true;
    this.pool.clear();
    this.arena.destroy();
    this.indexErrors?.mem.gpu.destroy();
    this.device.destroy();
  }
}
