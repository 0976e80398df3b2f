// The benchmark page: for each shipped model, onnxruntime-web load times and one forward pass on
// ORT (wasm, and WebGPU when available) and on the engine (CPU, WebGPU), all in this one page so
// the ratios compare like with like. Publishes window.__benchResult (or __benchError) for the
// runner, bench/models-browser.mjs; progress goes to the console as "[bench] ...".
import * as T from '../../src/engine/index.ts';
import { cpuTier, setCpuTier, type CpuTier } from '../../src/engine/backends/cpu-wasm.ts';
import { SHIPPED_MODELS } from '../../src/runtime/models/load.ts';
import { loadOrt } from '../../src/runtime/models/ort-web.ts';
import { publishBenchResult } from '../publish-result.ts';
import { buildEngineModel } from './engine-forward.ts';
import { ortForward } from './ort-forward.ts';
import { timeLoads, timeRuntimeStart } from './ort-load.ts';
import { ortWebgpuColumn, ortWebgpuRuntime } from './ort-webgpu.ts';
import type { BenchResult, Column, ModelResult } from './result.ts';
import { timeCall, type TimingOptions } from './timing.ts';
import { workloadFor, type Workload } from './workloads.ts';
import type { LoadedModel } from '../../src/runtime/models/load.ts';

const PROBE_MODEL = 'lstm-births'; // the smallest file: times the runtimes' own start

const query = new URLSearchParams(location.search);
const count = (key: string, fallback: number): number => {
  const n = Number(query.get(key));
  return Number.isInteger(n) && n > 0 ? n : fallback;
};
const timing: TimingOptions = { warmups: count('warmups', 3), runs: count('runs', 20) };
const loadRepeats = count('loads', 3);
const models = query.get('models')?.split(',').filter(Boolean) ?? [...SHIPPED_MODELS];

const log = (message: string): void => console.log(`[bench] ${message}`);

/** A column that reports its error instead of ending the run. */
async function column(measure: () => Promise<Column>): Promise<Column> {
  try {
    return await measure();
  } catch (err) {
    return { status: 'error', reason: (err as Error).message };
  }
}

async function engineColumn(choice: 'cpu' | 'webgpu', loaded: LoadedModel, work: Workload, tier: CpuTier = 'wasm'): Promise<Column> {
  if ((await T.initBackend(choice)) !== choice) return { status: 'n/a', reason: 'no adapter' };
  if (choice === 'cpu' && setCpuTier(tier) !== tier) return { status: 'n/a', reason: `no ${tier} tier here` };
  const t0 = performance.now();
  const model = buildEngineModel(loaded, work); // parameters live on the backend just chosen
  const setupMs = performance.now() - t0;
  try {
    return { status: 'ok', setupMs, ...(await timeCall(() => model.forward(), timing)) };
  } finally {
    model.dispose();
  }
}

async function benchModel(ort: Awaited<ReturnType<typeof loadOrt>>, name: string, hasGpu: boolean): Promise<ModelResult> {
  log(`${name}: ORT loads (${loadRepeats}× cold + cached)`);
  const { times, loaded } = await timeLoads(ort, name, loadRepeats);
  const work = workloadFor(loaded.runner, loaded.config.kind);
  log(`${name}: ORT wasm forward — ${work.describe}`);
  const ortWasm = await column(async () => ({ status: 'ok', setupMs: loaded.loadMs, ...(await timeCall(ortForward(loaded, work), timing)) }));
  log(`${name}: engine CPU forward (tiers ${cpuTier()}, wasm-f64, js)`);
  const engineCpu = await column(() => engineColumn('cpu', loaded, work, 'wasm'));
  const engineCpuF64 = await column(() => engineColumn('cpu', loaded, work, 'wasm-f64'));
  const engineCpuJs = await column(() => engineColumn('cpu', loaded, work, 'js'));
  setCpuTier('wasm');
  log(`${name}: engine WebGPU forward`);
  const engineWebgpu = hasGpu ? await column(() => engineColumn('webgpu', loaded, work)) : ({ status: 'n/a', reason: 'no adapter' } as const);
  log(`${name}: ORT WebGPU forward`);
  const ortWebgpu = hasGpu ? await column(() => ortWebgpuColumn(name, work, timing, PROBE_MODEL)) : ({ status: 'n/a', reason: 'no adapter' } as const);
  await T.initBackend('cpu');
  await loaded.session.release();
  return {
    name,
    kind: loaded.config.kind,
    params: loaded.config.params,
    onnxBytes: loaded.onnx.byteLength,
    workload: work.describe,
    ortLoad: times,
    ortWasm,
    engineCpu,
    engineCpuF64,
    engineCpuJs,
    engineWebgpu,
    ortWebgpu,
  };
}

async function main(): Promise<BenchResult> {
  // The engine's WebGPU backend gives the adapter line and the device ORT's WebGPU provider shares.
  const hasGpu = (await T.initBackend('webgpu')) === 'webgpu';
  const gpu = T.webgpuBackend();
  const adapter = hasGpu && gpu ? [gpu.adapterInfo.vendor, gpu.adapterInfo.architecture, gpu.adapterInfo.device, gpu.adapterInfo.description].filter(Boolean).join(' | ') + ` | features: ${gpu.features.join(',') || 'none'}` : null;
  await T.initBackend('cpu');
  log(`WebGPU adapter: ${adapter ?? 'none'}`);

  const { ort, ms: ortWasmStartMs } = await timeRuntimeStart(() => loadOrt(), PROBE_MODEL);
  log(`ORT wasm runtime start: ${ortWasmStartMs.toFixed(0)} ms`);
  let ortWebgpuStartMs: number | null = null;
  if (hasGpu && gpu) {
    try {
      ortWebgpuStartMs = (await ortWebgpuRuntime(gpu.device, PROBE_MODEL)).ms; // kept out of the per-model numbers
    } catch (err) {
      log(`ORT WebGPU runtime did not start: ${(err as Error).message}`);
    }
  }

  const results: ModelResult[] = [];
  for (const name of models) results.push(await benchModel(ort, name, hasGpu));
  return {
    userAgent: navigator.userAgent,
    ortVersion: ort.env.versions.web ?? ort.env.versions.common,
    ortThreads: ort.env.wasm.numThreads ?? 1,
    crossOriginIsolated: globalThis.crossOriginIsolated,
    adapter,
    ortWasmStartMs,
    ortWebgpuStartMs,
    settings: { ...timing, loadRepeats },
    models: results,
  };
}

publishBenchResult(main);
