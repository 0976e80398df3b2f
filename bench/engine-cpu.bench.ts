// CPU benchmark: this engine's CPU tiers (wasm SIMD with float32 accumulation, the default 'wasm';
// wasm SIMD with float64 accumulation, 'wasm-f64'; the JavaScript kernels, 'js') vs TensorFlow.js
// (tfjs-backend-cpu and tfjs-backend-wasm), one thread, same process. Run by hand from the
// repository root (not part of the tests):
//
//   source scripts/node22.sh && node --experimental-transform-types bench/engine-cpu.bench.ts
//
// (--experimental-transform-types because the engine uses TypeScript parameter properties,
// which plain type stripping rejects.) Optional: `--quick` for fewer repetitions; `--cpu-time`
// to time with the process's CPU time instead of the wall clock, which a machine shared with
// other jobs distorts less (everything here runs on one thread; GC helper threads count too).
//
// Measures
//   1. matmul N×N @ N×N, N = 128, 256, 512, 1024: GFLOP/s = 2N³ / time.
//   2. One training step (forward + backward + AdamW) of a 2-layer GPT: d = 64, 4 heads,
//      context 64, batch 16, vocab 65 (a character-level Shakespeare-sized model): ms/step.
//   3. An LSTM(1 → 48) run over 56 steps, batch 1, no gradient (the book's forecaster): small
//      ops one after another, so this is the per-op overhead. tfjs runs tf.basicLSTMCell per step.
// and prints engine/peer ratios (> 1 means the engine is faster). Contenders run interleaved,
// best of 3 rounds, so background load on a shared machine skews them less.
//
// Both GPTs (engine and tfjs, matched FLOP for FLOP) live in bench/gpt-step.ts, shared with the
// WebGPU page benchmark. tfjs is loaded through bench/tfjs-node.ts (see there why).
import { cpus } from 'node:os';
import * as E from '../src/engine/index.ts';
import { setCpuTier } from '../src/engine/backends/cpu-wasm.ts';
import { engineGptTrainer, tfjsGptTrainer, type GptTrainer } from './gpt-step.ts';
import { loadTfjs } from './tfjs-node.ts';

const { tf, wasm: tfwasm, wasmDir } = loadTfjs();

const quick = process.argv.includes('--quick');
const cpuTime = process.argv.includes('--cpu-time');

/** Milliseconds of wall clock, or of this process's CPU time with --cpu-time. */
function now(): number {
  if (!cpuTime) return performance.now();
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Mean seconds per call after `warmup` calls, running at least `minReps` and ~minSeconds. */
function timeIt(fn: () => void, opts: { warmup?: number; minReps?: number; minSeconds?: number } = {}): number {
  const warmup = opts.warmup ?? 1;
  const minReps = opts.minReps ?? 3;
  const minSeconds = (opts.minSeconds ?? 1) * (quick ? 0.3 : 1);
  for (let i = 0; i < warmup; i++) fn();
  let reps = 0;
  const t0 = now();
  while (reps < minReps || now() - t0 < minSeconds * 1000) {
    fn();
    reps++;
  }
  return (now() - t0) / 1000 / reps;
}

// ---------------------------------------------------------------- matmul

function engineMatmul(n: number): number {
  const a = E.randn([n, n]);
  const b = E.randn([n, n]);
  const s = timeIt(() => E.matmul(a, b).dispose(), { minReps: n >= 1024 ? 2 : 3 });
  a.dispose();
  b.dispose();
  return (2 * n ** 3) / s / 1e9;
}

function tfjsMatmul(n: number): number {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  const s = timeIt(() => {
    const c = tf.matMul(a, b);
    c.dataSync(); // the CPU and wasm backends run eagerly; this only fixes the end point
    c.dispose();
  }, { minReps: n >= 1024 ? 1 : 3, minSeconds: n >= 1024 ? 0 : 1 });
  a.dispose();
  b.dispose();
  return (2 * n ** 3) / s / 1e9;
}

// ---------------------------------------------------------------- GPT training step

/** ms per training step of `trainer` (set up outside the timing, as before). */
function gptStepMs<L extends { dispose(): void }>(trainer: GptTrainer<L>): number {
  const s = timeIt(() => trainer.step().dispose(), { warmup: 1, minReps: quick ? 2 : 3 });
  trainer.dispose();
  return s * 1000;
}

const engineGptStep = (): number => gptStepMs(engineGptTrainer());
const tfjsGptStep = (): number => gptStepMs(tfjsGptTrainer(tf));

// ---------------------------------------------------------------- LSTM, step by step

const LSTM = { input: 1, hidden: 48, steps: 56 };

function engineLstmMs(): number {
  const lstm = new E.nn.LSTM(LSTM.input, LSTM.hidden, { batchFirst: true });
  const x = E.randn([1, LSTM.steps, LSTM.input]);
  const s = timeIt(() => E.noGrad(() => lstm.forward(x)[0]).dispose(), { warmup: 20, minReps: 20 });
  x.dispose();
  lstm.dispose();
  return s * 1000;
}

function tfjsLstmMs(): number {
  const H = LSTM.hidden;
  const kernel = tf.randomNormal<import('@tensorflow/tfjs-core').Rank.R2>([LSTM.input + H, 4 * H]);
  const bias = tf.zeros<import('@tensorflow/tfjs-core').Rank.R1>([4 * H]);
  const forgetBias = tf.scalar(1);
  const xs = tf.unstack(tf.randomNormal([LSTM.steps, 1, LSTM.input])) as import('@tensorflow/tfjs-core').Tensor2D[];
  const s = timeIt(() => {
    const out = tf.tidy(() => {
      let c = tf.zeros<import('@tensorflow/tfjs-core').Rank.R2>([1, H]);
      let h = tf.zeros<import('@tensorflow/tfjs-core').Rank.R2>([1, H]);
      const hs = xs.map((x) => {
        [c, h] = tf.basicLSTMCell(forgetBias, kernel, bias, x, c, h);
        return h;
      });
      return tf.stack(hs, 1);
    });
    out.dataSync();
    out.dispose();
  }, { warmup: 20, minReps: 20 });
  tf.dispose([kernel, bias, forgetBias, ...xs]);
  return s * 1000;
}

// ---------------------------------------------------------------- run

/** Runs each contender once per round, interleaved so that background load hits all alike; keeps the best. */
async function bestOf<K extends string>(rounds: number, contenders: Record<K, () => number>, better: (a: number, b: number) => boolean): Promise<Record<K, number>> {
  const best = {} as Record<K, number>;
  for (let r = 0; r < rounds; r++) {
    for (const k of Object.keys(contenders) as K[]) {
      // engine, f64, js: the engine's CPU tiers 'wasm', 'wasm-f64', 'js'; cpu, wasm: tfjs backends
      setCpuTier(k === 'js' ? 'js' : k === 'f64' ? 'wasm-f64' : 'wasm');
      if (k !== 'engine' && k !== 'js' && k !== 'f64') {
        await tf.setBackend(k);
        await tf.ready();
      }
      const v = contenders[k]();
      if (best[k] === undefined || better(v, best[k])) best[k] = v;
    }
  }
  return best;
}

async function main(): Promise<void> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // one thread, like the engine
  tfwasm.setWasmPaths(wasmDir);
  const rounds = quick ? 1 : 3;
  const tier = setCpuTier('wasm');
  console.log(`Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, one thread, best of ${rounds} interleaved round(s), ${cpuTime ? 'process CPU time' : 'wall clock'}`);
  console.log(`engine = the CPU backend's default tier, ${tier}${tier === 'js' ? ' (no WebAssembly SIMD here!)' : ' (float32 accumulation, SIMD exp/erf)'}; engine-f64 = setCpuTier('wasm-f64'); engine-js = setCpuTier('js')\n`);

  console.log('matmul N×N (GFLOP/s, higher is better)\n');
  console.log('| N | engine | engine-f64 | engine-js | tfjs-cpu | tfjs-wasm | engine / engine-js | engine / tfjs-wasm | engine-f64 / tfjs-wasm |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const n of [128, 256, 512, 1024]) {
    const mm = () => engineMatmul(n);
    const g = await bestOf(rounds, { engine: mm, f64: mm, js: mm, cpu: () => tfjsMatmul(n), wasm: () => tfjsMatmul(n) }, (a, b) => a > b);
    console.log(`| ${n} | ${g.engine.toFixed(2)} | ${g.f64.toFixed(2)} | ${g.js.toFixed(2)} | ${g.cpu.toFixed(2)} | ${g.wasm.toFixed(2)} | ${(g.engine / g.js).toFixed(2)}× | ${(g.engine / g.wasm).toFixed(2)}× | ${(g.f64 / g.wasm).toFixed(2)}× |`);
  }

  // times: the speed ratios are peer time / engine time (> 1: the engine is faster)
  const speedRow = (r: { engine: number; f64: number; js: number; cpu: number; wasm: number }, digits: number): string =>
    `| ${r.engine.toFixed(digits)} | ${r.f64.toFixed(digits)} | ${r.js.toFixed(digits)} | ${r.cpu.toFixed(digits)} | ${r.wasm.toFixed(digits)} | ${(r.js / r.engine).toFixed(2)}× | ${(r.wasm / r.engine).toFixed(2)}× | ${(r.wasm / r.f64).toFixed(2)}× |`;
  const speedHead = '| engine | engine-f64 | engine-js | tfjs-cpu | tfjs-wasm | speed engine / engine-js | speed engine / tfjs-wasm | speed engine-f64 / tfjs-wasm |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';

  const step = await bestOf(rounds, { engine: engineGptStep, f64: engineGptStep, js: engineGptStep, cpu: tfjsGptStep, wasm: tfjsGptStep }, (a, b) => a < b);
  console.log('\nGPT training step, 2 layers, d 64, 4 heads, context 64, batch 16, vocab 65 (ms/step, lower is better)\n');
  console.log(speedHead);
  console.log(speedRow(step, 0));

  const lstm = await bestOf(rounds, { engine: engineLstmMs, f64: engineLstmMs, js: engineLstmMs, cpu: tfjsLstmMs, wasm: tfjsLstmMs }, (a, b) => a < b);
  console.log(`\nLSTM(${LSTM.input} → ${LSTM.hidden}) over ${LSTM.steps} steps, batch 1, no gradient (ms, lower is better)\n`);
  console.log(speedHead);
  console.log(speedRow(lstm, 2));
  setCpuTier('wasm');
}

await main();
