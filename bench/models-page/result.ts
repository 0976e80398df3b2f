// The shape of what the page publishes as window.__benchResult (the runner prints and saves it).
import type { LatencyStat } from './timing.ts';
import type { LoadTimes } from './ort-load.ts';

/** One latency column: measured, not available here (with why), or failed (with the error). */
export type Column =
  | ({ status: 'ok'; /** Building the model / opening the session, ms. */ setupMs: number } & LatencyStat)
  | { status: 'n/a'; reason: string }
  | { status: 'error'; reason: string };

export interface ModelResult {
  name: string;
  kind: string;
  params: number;
  onnxBytes: number;
  /** What one timed forward is, in words. */
  workload: string;
  ortLoad: LoadTimes;
  ortWasm: Column;
  /** The engine's CPU backend on its default tier ('wasm': float32-accumulating SIMD matmul, SIMD exp/erf). */
  engineCpu: Column;
  /** The same on the 'wasm-f64' tier (float64-accumulating SIMD matmul: the JS kernels' bits). */
  engineCpuF64: Column;
  /** The same on the JavaScript kernels ('js': what runs without WebAssembly SIMD). */
  engineCpuJs: Column;
  engineWebgpu: Column;
  ortWebgpu: Column;
}

export interface BenchResult {
  userAgent: string;
  ortVersion: string;
  ortThreads: number;
  crossOriginIsolated: boolean;
  /** The engine's WebGPU adapter, or null when the browser offers none. */
  adapter: string | null;
  /** First session on the wasm build: binary fetch + compile (once per page). */
  ortWasmStartMs: number;
  /** The same for the WebGPU build, when that column ran. */
  ortWebgpuStartMs: number | null;
  settings: { warmups: number; runs: number; loadRepeats: number };
  models: ModelResult[];
}
