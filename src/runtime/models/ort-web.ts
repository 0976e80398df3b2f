/**
 * onnxruntime-web for pages, in one of two builds chosen by the execution provider:
 * - 'wasm' (the default): `onnxruntime-web/wasm`, a 14 MB binary, CPU only;
 * - 'webgpu': `onnxruntime-web/webgpu`, the 27 MB asyncify binary with ORT's WebGPU provider,
 *   fetched only when a reader asks for it. Its sessions run on the engine's own GPUDevice
 *   (see `modelGpuDevice`), so a page holds one device for cells' tensors and models alike.
 * Vite emits each .wasm as a hashed asset through a `?url` import and we hand ORT that URL, so no
 * copy under public/ and no optimizeDeps tweak is needed. Threads need cross-origin isolation
 * (COOP/COEP); without it ORT runs single-threaded, which is correct and fast enough here.
 */
/// <reference types="@webgpu/types" />
import type * as OrtModule from 'onnxruntime-web/wasm';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import webgpuWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { initWebGPU, webgpuBackend } from '../../engine/index.ts';
import type { ModelProvider } from './session.ts';

export type Ort = typeof OrtModule;

const builds = new Map<ModelProvider, Promise<Ort>>();

export function loadOrt(provider: ModelProvider = 'wasm'): Promise<Ort> {
  let build = builds.get(provider);
  if (!build) {
    const [module, binary] = provider === 'webgpu' ? [import('onnxruntime-web/webgpu'), webgpuWasmUrl] : [import('onnxruntime-web/wasm'), wasmUrl];
    build = module.then((ort) => {
      ort.env.wasm.wasmPaths = { wasm: new URL(binary, location.href).href };
      ort.env.wasm.numThreads = globalThis.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
      ort.env.logLevel = 'error';
      return ort as Ort;
    });
    build.catch(() => builds.delete(provider)); // a failed download may be retried
    builds.set(provider, build);
  }
  return build;
}

/**
 * The GPUDevice model sessions share with the engine on this page: the engine's WebGPU backend's
 * device, created on first need (and anew after a device loss). Rejects with a reader-facing reason when there is none.
 */
export async function modelGpuDevice(): Promise<GPUDevice> {
  if (typeof navigator === 'undefined' || !navigator.gpu) throw new Error('this browser has no WebGPU');
  const current = webgpuBackend();
  const backend = current && !current.isLost ? current : await initWebGPU();
  if (!backend) throw new Error('this browser offers no WebGPU adapter');
  return backend.device;
}
