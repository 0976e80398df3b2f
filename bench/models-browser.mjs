// The book's shipped models in headless Chromium: model.onnx size, onnxruntime-web load (cold/cached),
// one forward pass on ORT wasm vs the engine (CPU, WebGPU) in the same page, with ratios.
// Usage: source scripts/node22.sh && source scripts/ensure-chromium.sh && node bench/models-browser.mjs [--json out.json] [--runs 20] [--models gpt-sotu,bert-sotu]
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs, runBench, table } from './browser-harness.mjs';

const pageRoot = fileURLToPath(new URL('./models-page/', import.meta.url));
const TARGET_GPT_STEP_MS = 20; // the budget for a GPT next-token step at context 64
const PAGE_TIMEOUT_MS = 30 * 60_000; // software WebGPU is slow; a whole run takes minutes
const USAGE = 'node bench/models-browser.mjs [--json <file>] [--runs N] [--warmups N] [--loads N] [--models a,b]';

const ms = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const cell = (c) => (c.status === 'ok' ? `${ms(c.medianMs)} (${ms(c.p90Ms)})` : c.status === 'n/a' ? `n/a (${c.reason})` : 'error');
const ratio = (c, base) => (c.status === 'ok' && base.status === 'ok' ? `${(c.medianMs / base.medianMs).toFixed(2)}×` : '–');
const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;

function report(r, chromiumVersion, load) {
  const out = [];
  out.push(`Shipped models in headless Chromium ${chromiumVersion}: onnxruntime-web ${r.ortVersion} vs the engine, one page, one run`);
  out.push(`WebGPU adapter: ${r.adapter ?? 'none (WebGPU columns n/a)'}`);
  out.push(`ORT wasm: ${r.ortThreads} thread(s), crossOriginIsolated=${r.crossOriginIsolated}; runtime start (first session, wasm fetch + compile, once per page): ${ms(r.ortWasmStartMs)} ms`);
  if (r.ortWebgpuStartMs !== null) out.push(`ORT WebGPU build runtime start: ${ms(r.ortWebgpuStartMs)} ms`);
  out.push(`host: ${availableParallelism()} CPUs, load average (1 min) ${load.start.toFixed(2)} at start, ${load.end.toFixed(2)} at end: other work on the machine shows up in the p90s`);
  out.push(`forward = median (p90) ms of ${r.settings.runs} runs after ${r.settings.warmups} warm-ups; load = median ms of ${r.settings.loadRepeats} (cold: Cache Storage and HTTP cache empty; cached: from Cache Storage, new session)`);
  out.push('');
  const header = ['model', 'onnx', 'ORT load cold', 'cached', 'ORT wasm', 'engine CPU', 'CPU wasm-f64', 'CPU js', 'engine WebGPU', 'ORT WebGPU', 'CPU/ORT', 'wasm-f64/ORT', 'js/ORT', 'WebGPU/ORT', 'ORT-WebGPU/ORT'];
  const rows = r.models.map((m) => [
    m.name,
    mb(m.onnxBytes),
    ms(m.ortLoad.coldMs),
    ms(m.ortLoad.cachedMs),
    cell(m.ortWasm),
    cell(m.engineCpu),
    cell(m.engineCpuF64),
    cell(m.engineCpuJs),
    cell(m.engineWebgpu),
    cell(m.ortWebgpu),
    ratio(m.engineCpu, m.ortWasm),
    ratio(m.engineCpuF64, m.ortWasm),
    ratio(m.engineCpuJs, m.ortWasm),
    ratio(m.engineWebgpu, m.ortWasm),
    ratio(m.ortWebgpu, m.ortWasm),
  ]);
  out.push(table(header, rows));
  out.push('');
  out.push('ratios: median / ORT wasm median (above 1× = slower than ORT wasm)');
  for (const m of r.models) out.push(`${m.name}: ${m.workload}`);
  const errors = r.models.flatMap((m) => ['ortWasm', 'engineCpu', 'engineCpuF64', 'engineCpuJs', 'engineWebgpu', 'ortWebgpu'].filter((k) => m[k].status === 'error').map((k) => `${m.name} ${k}: ${m[k].reason.trim()}`));
  if (errors.length) out.push('', 'errors:', ...errors.map((e) => `  ${e}`));
  out.push('');
  for (const m of r.models.filter((x) => x.kind === 'gpt')) {
    const c = m.ortWasm;
    if (c.status !== 'ok') continue;
    const verdict = c.medianMs <= TARGET_GPT_STEP_MS ? 'within' : 'over';
    out.push(`${m.name} next-token step at context 64 on ORT wasm: median ${ms(c.medianMs)} ms, p90 ${ms(c.p90Ms)} ms, ${verdict} the ${TARGET_GPT_STEP_MS} ms target`);
  }
  return out.join('\n');
}

const args = parseArgs(process.argv.slice(2), { json: null, runs: null, warmups: null, loads: null, models: null }, USAGE);
await runBench({
  pageDir: pageRoot,
  cacheName: 'bench-models',
  query: { runs: args.runs, warmups: args.warmups, loads: args.loads, models: args.models },
  pageOptions: { timeoutMs: PAGE_TIMEOUT_MS, disableHttpCache: true }, // a "cold" load really downloads model.onnx
  report,
  toJson: (result) => ({ targetGptStepMs: TARGET_GPT_STEP_MS, ...result }),
  jsonPath: args.json,
});
