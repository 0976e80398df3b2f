/**
 * onnxruntime-web for pages: the wasm build only (`onnxruntime-web/wasm`; the bare entry would
 * pull the 26 MB JSEP/WebGPU binary). Vite emits the .wasm as a hashed asset through the `?url`
 * import and we hand ORT that URL, so no copy under public/ and no optimizeDeps tweak is needed.
 * Threads need cross-origin isolation (COOP/COEP); without it ORT runs single-threaded, which is
 * correct and, for these small models, fast enough.
 */
import type * as OrtModule from 'onnxruntime-web/wasm';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';

export type Ort = typeof OrtModule;

let ortPromise: Promise<Ort> | null = null;

export function loadOrt(): Promise<Ort> {
  ortPromise ??= import('onnxruntime-web/wasm').then((ort) => {
    ort.env.wasm.wasmPaths = { wasm: new URL(wasmUrl, location.href).href };
    ort.env.wasm.numThreads = globalThis.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
    ort.env.logLevel = 'error';
    return ort as Ort;
  });
  return ortPromise;
}
