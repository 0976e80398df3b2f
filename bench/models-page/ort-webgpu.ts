// The optional column: onnxruntime's WebGPU execution provider (`loadOrt('webgpu')`, the 27 MB
// asyncify build), its sessions on the engine's own GPUDevice as the book's pages run them.
// Operators the provider lacks fall back to wasm inside the session (see load.ts).
import * as T from '../../src/engine/index.ts';
import { loadShippedModel } from '../../src/runtime/models/load.ts';
import { loadOrt, type Ort } from '../../src/runtime/models/ort-web.ts';
import { ortForward } from './ort-forward.ts';
import type { Column } from './result.ts';
import { timeRuntimeStart } from './ort-load.ts';
import { timeCall, type TimingOptions } from './timing.ts';
import type { Workload } from './workloads.ts';

let runtime: Promise<{ ort: Ort; ms: number }> | null = null;
// A failed run can leave ORT's WebGPU runtime unusable for the rest of the page (seen: after
// lstm-births fails, the next model fails too, though it runs fine on its own), so a later
// error names the earlier one.
let firstFailure: string | null = null;

/** Start of the WebGPU build (first session: wasm compile + provider init), once per page. */
export function ortWebgpuRuntime(device: GPUDevice, probeModel: string): Promise<{ ort: Ort; ms: number }> {
  runtime ??= timeRuntimeStart(() => loadOrt('webgpu'), probeModel, { executionProviders: [{ name: 'webgpu', device }, 'wasm'] });
  return runtime;
}

export async function ortWebgpuColumn(name: string, work: Workload, timing: TimingOptions, probeModel: string): Promise<Column> {
  const device = T.webgpuBackend()?.device;
  if (!device) return { status: 'n/a', reason: 'no adapter' };
  try {
    const { ort } = await ortWebgpuRuntime(device, probeModel);
    const loaded = await loadShippedModel(ort, name, { gpuDevice: device }); // model.onnx from Cache Storage
    try {
      if (loaded.provider !== 'webgpu') throw new Error(`the session opened on ${loaded.provider}, not webgpu`); // never time wasm under this name
      const stat = await timeCall(ortForward(loaded, work), timing);
      return { status: 'ok', setupMs: loaded.loadMs, ...stat };
    } finally {
      await loaded.session.release();
    }
  } catch (err) {
    const reason = firstFailure ? `(after ORT WebGPU failed on ${firstFailure}) ${(err as Error).message}` : (err as Error).message;
    firstFailure ??= name;
    return { status: 'error', reason };
  }
}
