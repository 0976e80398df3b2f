// The engine's WebGPU backend against @tensorflow/tfjs-backend-webgpu and onnxruntime-web's WebGPU
// execution provider, in one headless Chromium page on one adapter: matmul N×N (GFLOP/s), attention
// forward softmax(QKᵀ/√d)V at B 1, H 4, d 64 (ms), and the 2-layer GPT training step of
// bench/gpt-step.ts (ms; ORT cannot train). Prints ratios; on a software adapter (SwiftShader
// here) only the ratios mean anything. Not a test: nothing here asserts a time.
//
// Usage: source scripts/node22.sh && source scripts/ensure-chromium.sh &&
//   node bench/webgpu-browser.mjs [--matmul 256,512,1024] [--attention 128,256,512,1024] [--runs 5] [--gpt 0] [--json out.json]
// Defaults: matmul 256,512,1024, attention 128…1024, 5 timed batches per cell (GPT step: 3): a
// full default run took 6m14s on SwiftShader with 2 CPUs. N = 2048 is left out by default: one
// 2048³ product took 10 s (engine), 38 s (tfjs), 48 s (ORT) there, so at 5 runs (7 products per
// contender with the warm-ups) it alone would add ~11 minutes; `--matmul 2048 --attention ""
// --gpt 0 --runs 1` measured it in 4m43s.
// Each cell: k iterations submitted back to back, then one read-back (k picked so a batch
// lasts ~300 ms, at most 16), time / k; median over the batches.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs, runBench, table } from './browser-harness.mjs';

const pageRoot = fileURLToPath(new URL('./webgpu-page/', import.meta.url));
const PAGE_TIMEOUT_MS = 30 * 60_000;
const MATMUL_TARGET = 1.5; // the issue: matmul ≥ 1.5× tfjs-webgpu on the same adapter
const USAGE = 'node bench/webgpu-browser.mjs [--matmul 256,512] [--attention 128,256] [--runs N] [--gpt 0] [--json <file>]';

const gflops = (n, c) => (2 * n ** 3) / (c.ms / 1e3) / 1e9;
const num = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const failed = (c) => (c.status === 'n/a' ? `n/a (${c.reason})` : 'error');
const msCell = (c) => (c.status === 'ok' ? `${num(c.ms)} (${num(c.p90Ms)})` : failed(c));
const gfCell = (n, c) => (c.status === 'ok' ? num(gflops(n, c)) : failed(c));
/** Speed of the engine relative to `peer`: peer time / engine time (above 1× = the engine is faster). */
const speedup = (engine, peer) => (engine.status === 'ok' && peer.status === 'ok' ? peer.ms / engine.ms : null);
const ratioCell = (r) => (r === null ? '–' : `${r.toFixed(2)}×`);

function report(r, chromiumVersion, load) {
  const out = [];
  out.push(`WebGPU backends in headless Chromium ${chromiumVersion}, one page, one run`);
  out.push(`adapter (engine and ORT share the engine's GPUDevice): ${r.adapter}`);
  out.push(`adapter navigator.gpu gives tfjs (its own GPUDevice): ${r.tfjsAdapter}`);
  out.push(`tfjs-core + tfjs-backend-webgpu ${r.tfjsVersion}; onnxruntime-web ${r.ortVersion} WebGPU provider (inputs and outputs on the GPU)`);
  out.push(`host: ${availableParallelism()} CPUs, load average (1 min) ${load.start.toFixed(2)} at start, ${load.end.toFixed(2)} at end`);
  out.push(`each cell: k iterations back to back + one read-back, time / k; median of ${r.settings.runs} batches (GPT: ${Math.min(r.settings.runs, 3)}); ratios = engine speed / peer speed (above 1× = the engine is faster)`);
  const errors = [];
  const note = (what, row) => ['engine', 'tfjs', 'ort'].forEach((k) => row[k].status === 'error' && errors.push(`${what} ${row.size} ${k}: ${row[k].reason}`));

  if (r.matmul.length) {
    out.push('', 'matmul N×N @ N×N, GFLOP/s (higher is better)', '');
    const rows = r.matmul.map((m) => {
      note('matmul', m);
      return [String(m.size), gfCell(m.size, m.engine), gfCell(m.size, m.tfjs), gfCell(m.size, m.ort), ratioCell(speedup(m.engine, m.tfjs)), ratioCell(speedup(m.engine, m.ort))];
    });
    out.push(table(['N', 'engine', 'tfjs-webgpu', 'ORT-webgpu', 'engine/tfjs', 'engine/ORT'], rows));
    const ratios = r.matmul.map((m) => speedup(m.engine, m.tfjs)).filter((x) => x !== null);
    if (ratios.length) {
      const low = Math.min(...ratios);
      out.push('', `target: matmul ≥ ${MATMUL_TARGET}× tfjs-webgpu — ${low >= MATMUL_TARGET ? 'met' : 'NOT met'} (lowest engine/tfjs ${low.toFixed(2)}× over N = ${r.matmul.filter((m) => speedup(m.engine, m.tfjs) !== null).map((m) => m.size).join(', ')})`);
    }
  }
  if (r.attention.length) {
    out.push('', `attention forward softmax(QKᵀ/√d)V, ${r.attentionShape}, median (p90) ms (lower is better)`, '');
    const rows = r.attention.map((a) => {
      note('attention', a);
      return [String(a.size), msCell(a.engine), msCell(a.tfjs), msCell(a.ort), ratioCell(speedup(a.engine, a.tfjs)), ratioCell(speedup(a.engine, a.ort))];
    });
    out.push(table(['T', 'engine', 'tfjs-webgpu', 'ORT-webgpu', 'engine/tfjs', 'engine/ORT'], rows));
  }
  if (r.gpt) {
    note('GPT step', r.gpt);
    out.push('', `GPT training step (${r.gptWorkload}), median (p90) ms (lower is better)`, '');
    out.push(table(['', 'engine', 'tfjs-webgpu', 'ORT-webgpu', 'engine/tfjs', 'engine/ORT'], [['step', msCell(r.gpt.engine), msCell(r.gpt.tfjs), msCell(r.gpt.ort), ratioCell(speedup(r.gpt.engine, r.gpt.tfjs)), '–']]));
  }
  if (errors.length) out.push('', 'errors:', ...errors.map((e) => `  ${e}`));
  return out.join('\n');
}

const args = parseArgs(process.argv.slice(2), { json: null, matmul: null, attention: null, runs: null, gpt: null }, USAGE);
const withRatios = (row) => ({ ...row, engineOverTfjs: speedup(row.engine, row.tfjs), engineOverOrt: speedup(row.engine, row.ort) });
await runBench({
  pageDir: pageRoot,
  cacheName: 'bench-webgpu',
  query: { matmul: args.matmul, attention: args.attention, runs: args.runs, gpt: args.gpt },
  pageOptions: { timeoutMs: PAGE_TIMEOUT_MS },
  report,
  toJson: (result) => ({
    matmulTarget: MATMUL_TARGET,
    ratioMeaning: 'peer ms / engine ms: above 1 = the engine is faster',
    ...result,
    matmul: result.matmul.map((m) => ({ ...withRatios(m), gflops: Object.fromEntries(['engine', 'tfjs', 'ort'].map((k) => [k, m[k].status === 'ok' ? gflops(m.size, m[k]) : null])) })),
    attention: result.attention.map(withRatios),
    gpt: result.gpt && withRatios(result.gpt),
  }),
  jsonPath: args.json,
});
