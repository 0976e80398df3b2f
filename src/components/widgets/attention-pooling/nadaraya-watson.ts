// Nadaraya–Watson kernel regression as attention pooling, computed with the book's engine.
// The widget draws what this module returns; the chapter's code cells can write the same steps
// against `attention-lab` (same seed ⇒ same numbers), and tests/widgets checks it by hand.
import { Generator, linspace, rand, randn, softmax, tensor, tidy, type Tensor, where } from '../../../engine/index.ts';
import type { Kernel } from './kernels.ts';

export { KERNELS, KERNEL_LABELS, type Kernel } from './kernels.ts';

/** The function the training data is sampled from: f(x) = 2 sin x + x^0.8. */
export function trueFunction(x: number): number {
  return 2 * Math.sin(x) + x ** 0.8;
}

export interface DataOptions {
  /** Number of training points (keys and values). */
  n?: number;
  /** Number of evenly spaced query points on [0, xMax]. */
  queries?: number;
  seed?: number;
  /** Standard deviation of the Gaussian noise added to f(x). */
  noise?: number;
  xMax?: number;
}

// Seed 0 and this draw order are the chapter's ("data" cell: manualSeed(0), rand, then randn), so the
// widget shows the same 50 points as the reader's cells.
export const DEFAULT_DATA: Required<DataOptions> = { n: 50, queries: 100, seed: 0, noise: 0.5, xMax: 5 };

export interface PoolingData {
  /** Training inputs (keys), sorted ascending, shape [n]. */
  xTrain: Float32Array;
  /** Training targets (values) y = f(x) + noise, shape [n]. */
  yTrain: Float32Array;
  /** Query points, evenly spaced on [0, xMax], shape [queries]. */
  xQuery: Float32Array;
  /** f at the queries (no noise), for drawing the true function. */
  yTrue: Float32Array;
}

/**
 * Seeded training data: x = sort(xMax · U[0,1)^n), then y = 2 sin x + x^0.8 + noise · N(0,1)^n,
 * drawing the uniforms first and the normals second from one Generator(seed).
 */
export async function makeData(options: DataOptions = {}): Promise<PoolingData> {
  const { n, queries, seed, noise, xMax } = { ...DEFAULT_DATA, ...options };
  const generator = new Generator(seed);
  const [uniform, normal, grid] = [rand([n], { generator }), randn([n], { generator }), linspace(0, xMax, queries)];
  try {
    // The engine has no sort; sorting on the host keeps the heatmap's keys in x order.
    const xTrain = Float32Array.from(await uniform.data(), (u) => u * xMax).sort();
    const x = tensor(xTrain);
    const y = tidy(() => x.sin().mul(2).add(x.pow(0.8)).add(normal.mul(noise)));
    const yTrain = (await y.data()) as Float32Array;
    x.dispose();
    y.dispose();
    const xQuery = (await grid.data()) as Float32Array;
    return { xTrain, yTrain, xQuery, yTrue: Float32Array.from(xQuery, trueFunction) };
  } finally {
    uniform.dispose();
    normal.dispose();
    grid.dispose();
  }
}

export interface PoolingTensors {
  /** Attention weights α(q_i, k_j), shape [queries, keys]; rows sum to 1, or are all 0 (uncovered). */
  weights: Tensor;
  /** Whether each query has at least one key with non-zero kernel weight, shape [queries, 1] bool. */
  covered: Tensor;
  /** Nadaraya–Watson estimate Σ_j α(q_i, k_j) v_j, shape [queries]; 0 where a row is uncovered. */
  fit: Tensor;
}

/**
 * Attention pooling with kernel K and bandwidth σ:
 *   α(q, k_j) = K((q − k_j)/σ) / Σ_l K((q − k_l)/σ),   f̂(q) = Σ_j α(q, k_j) v_j.
 * Gaussian: K(u) = exp(−u²/2), so α is softmax(−u²/2) over the keys (never underflows to 0/0).
 * Boxcar: K(u) = 1 for |u| ≤ 1. Epanechnikov: K(u) = max(0, 1 − u²). Constant factors cancel.
 * With compact kernels a query may have no key within σ: that row's weights are all 0 and
 * `covered` is false for it (no NaN anywhere).
 */
export function poolingTensors(queries: Tensor, keys: Tensor, values: Tensor, kernel: Kernel, sigma: number): PoolingTensors {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new Error(`poolingTensors: sigma must be a positive number, got ${sigma}`);
  return tidy(() => {
    const u = queries.unsqueeze(1).sub(keys.unsqueeze(0)).div(sigma); // (Q, N) by broadcasting
    if (kernel === 'gaussian') {
      const weights = softmax(u.square().mul(-0.5), 1); // (Q, N)
      const covered = weights.sum(1, true).gt(0); // (Q, 1), always true
      return { weights, covered, fit: weights.matmul(values) };
    }
    const k = kernel === 'boxcar' ? u.abs().le(1).to('float32') : u.square().neg().add(1).relu(); // (Q, N)
    const total = k.sum(1, true); // (Q, 1)
    const covered = total.gt(0);
    const weights = where(covered, k.div(where(covered, total, 1)), 0); // (Q, N)
    return { weights, covered, fit: weights.matmul(values) }; // fit: (Q,)
  });
}

export interface PoolingResult {
  kernel: Kernel;
  sigma: number;
  queries: number;
  keys: number;
  /** Row-major [queries, keys]. */
  weights: Float32Array;
  /** 1 where the query has at least one key within reach, else 0. */
  covered: Uint8Array;
  /** The estimate at each query; meaningful only where covered. */
  fit: Float32Array;
  uncoveredCount: number;
}

/** Runs poolingTensors on host arrays and reads the results back (disposes every tensor). */
export async function poolingResult(data: PoolingData, kernel: Kernel, sigma: number): Promise<PoolingResult> {
  const q = tensor(data.xQuery);
  const k = tensor(data.xTrain);
  const v = tensor(data.yTrain);
  let out: PoolingTensors | null = null;
  try {
    out = poolingTensors(q, k, v, kernel, sigma);
    const [weights, coveredRaw, fit] = await Promise.all([out.weights.data(), out.covered.data(), out.fit.data()]);
    const covered = Uint8Array.from(coveredRaw, (c) => (c ? 1 : 0));
    return {
      kernel,
      sigma,
      queries: data.xQuery.length,
      keys: data.xTrain.length,
      weights: weights as Float32Array,
      covered,
      fit: fit as Float32Array,
      uncoveredCount: covered.length - covered.reduce((a, c) => a + c, 0),
    };
  } finally {
    for (const t of [q, k, v, out?.weights, out?.covered, out?.fit]) t?.dispose();
  }
}
