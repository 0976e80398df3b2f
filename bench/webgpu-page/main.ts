// The WebGPU page benchmark: the engine's WebGPU backend vs tfjs-backend-webgpu vs onnxruntime-web's
// WebGPU provider, on one adapter in this one page: matmul N×N, attention forward (B 1, H 4, d 64),
// and the 2-layer GPT training step. Publishes window.__benchResult (or __benchError) for the
// runner, bench/webgpu-browser.mjs; progress goes to the console as "[bench] ...".
// Query: matmul=256,512  attention=128,256  runs=N  gpt=0 (skip the GPT step).
import * as E from '../../src/engine/index.ts';
import { GPT_DESCRIBE } from '../gpt-step.ts';
import { publishBenchResult } from '../publish-result.ts';
import { engineAttention, engineGpt, engineMatmul } from './engine.ts';
import { ortAttention, ortMatmul, ortWebgpu } from './ort.ts';
import { measure, type Cell, type TimingOptions } from './timing.ts';
import { startTfjs, tf, tfjsAttention, tfjsGpt, tfjsMatmul } from './tfjs.ts';

export interface Row {
  size: number;
  engine: Cell;
  tfjs: Cell;
  ort: Cell;
}

export interface WebgpuBenchResult {
  userAgent: string;
  adapter: string;
  tfjsAdapter: string;
  tfjsVersion: string;
  ortVersion: string;
  attentionShape: string;
  gptWorkload: string;
  settings: TimingOptions;
  matmul: Row[];
  attention: Row[];
  gpt: Row | null;
}

const query = new URLSearchParams(location.search);
const sizes = (key: string, fallback: number[]): number[] => {
  const raw = query.get(key);
  if (raw === null) return fallback;
  return raw.split(',').filter(Boolean).map(Number).filter((n) => Number.isInteger(n) && n > 0);
};
const runs = Number(query.get('runs'));
const timing: TimingOptions = { runs: Number.isInteger(runs) && runs > 0 ? runs : 5, targetMs: 300, maxIters: 16 };
const HEADS = 4;
const HEAD_DIM = 64;

const log = (message: string): void => console.log(`[bench] ${message}`);
const na = (reason: string): Cell => ({ status: 'n/a', reason });
const show = (c: Cell): string => (c.status === 'ok' ? `${c.ms.toFixed(2)} ms ×${c.iters}` : `${c.status}: ${c.reason}`);

function describe(info: GPUAdapterInfo): string {
  return [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' | ');
}

async function main(): Promise<WebgpuBenchResult> {
  if ((await E.initBackend('webgpu')) !== 'webgpu') throw new Error('no WebGPU adapter: run Chromium with --enable-unsafe-webgpu');
  const gpu = E.webgpuBackend()!;
  const device = gpu.device;
  const adapter = `${describe(gpu.adapterInfo as GPUAdapterInfo)} | features: ${gpu.features.join(',') || 'none'}`;
  if (!(await startTfjs())) throw new Error('tfjs-backend-webgpu did not start');
  // tfjs requests its own adapter; this one is what navigator.gpu hands out, as it does to tfjs.
  const tfjsAdapter = ((await navigator.gpu.requestAdapter()) as (GPUAdapter & { info?: GPUAdapterInfo }) | null)?.info;
  const ort = await ortWebgpu();
  log(`adapter: ${adapter}; tfjs's: ${tfjsAdapter ? describe(tfjsAdapter) : 'unknown'}`);

  const row = async (what: string, size: number, engine: () => Promise<Cell>, tfjs: () => Promise<Cell>, ortCell: () => Promise<Cell>): Promise<Row> => {
    const r: Row = { size, engine: na(''), tfjs: na(''), ort: na('') };
    r.engine = await engine();
    log(`${what} ${size}: engine ${show(r.engine)}`);
    r.tfjs = await tfjs();
    log(`${what} ${size}: tfjs ${show(r.tfjs)}`);
    r.ort = await ortCell();
    log(`${what} ${size}: ORT ${show(r.ort)}`);
    return r;
  };

  const matmul: Row[] = [];
  for (const n of sizes('matmul', [256, 512, 1024])) {
    matmul.push(await row('matmul', n, () => measure(() => engineMatmul(n), timing), () => measure(() => tfjsMatmul(n), timing), () => measure(() => ortMatmul(device, n), timing)));
  }
  const attention: Row[] = [];
  for (const t of sizes('attention', [128, 256, 512, 1024])) {
    const shape: [number, number, number, number] = [1, HEADS, t, HEAD_DIM];
    attention.push(await row('attention', t, () => measure(() => engineAttention(shape), timing), () => measure(() => tfjsAttention(shape), timing), () => measure(() => ortAttention(device, shape), timing)));
  }
  const gptRuns = Math.min(timing.runs, 3); // a step is seconds long on a software adapter
  const gpt = query.get('gpt') === '0' ? null : await row('GPT step', 64, () => measure(engineGpt, { ...timing, runs: gptRuns, maxIters: 2 }), () => measure(tfjsGpt, { ...timing, runs: gptRuns, maxIters: 2 }), async () => na('inference only'));

  return {
    userAgent: navigator.userAgent,
    adapter,
    tfjsAdapter: tfjsAdapter ? describe(tfjsAdapter) : 'unknown',
    tfjsVersion: tf.version_core,
    ortVersion: ort.env.versions.web ?? ort.env.versions.common,
    attentionShape: `B 1, H ${HEADS}, d ${HEAD_DIM}`,
    gptWorkload: GPT_DESCRIBE,
    settings: timing,
    matmul,
    attention,
    gpt,
  };
}

publishBenchResult(main);
