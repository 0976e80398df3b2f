// Autoregressive forecasting of a daily series, computed with the book's engine: the same steps
// as the sequences chapter's cells (standardise with the training part, windows of τ days, a
// linear model x̂_t = w · x_{t−τ:t−1} + b fitted by Adam on the mean squared error), plus k-step
// rollouts that feed the model its own predictions, and the seasonal-naive and last-value
// baselines. The widget draws what this module returns; tests/widgets/sequences.test.ts checks it.
import { cat, mseLoss, nn, noGrad, optim, stack, tensor, tidy, zerosLike, type Tensor } from '../../../engine/index.ts';

export const PERIOD = 7;

export interface Standardised {
  /** (x − mean) / std, with mean and std of the training part only. */
  z: Float32Array;
  mean: number;
  std: number;
}

/** Standardises a series with the statistics of its first `split` values (the test part must not leak in). */
export function standardise(series: ArrayLike<number>, split: number): Standardised {
  if (!(split >= 2 && split <= series.length)) throw new Error(`standardise: split must be in [2, ${series.length}], got ${split}`);
  let mean = 0;
  for (let i = 0; i < split; i++) mean += series[i]!;
  mean /= split;
  let sq = 0;
  for (let i = 0; i < split; i++) sq += (series[i]! - mean) ** 2;
  const std = Math.sqrt(sq / split) || 1;
  return { z: Float32Array.from(series, (v) => (v - mean) / std), mean, std };
}

/** Row i holds x_i … x_{i+τ−1} and its label is x_{i+τ}: series [N] → features [N−τ, τ], labels [N−τ]. */
export function makeWindows(series: Tensor, tau: number): { features: Tensor; labels: Tensor } {
  const n = series.shape[0]!;
  if (!Number.isInteger(tau) || tau < 1 || tau >= n) throw new Error(`makeWindows: τ must be an integer in [1, ${n - 1}], got ${tau}`);
  return tidy(() => {
    const columns = Array.from({ length: tau }, (_, lag) => series.slice(0, lag, n - tau + lag)); // τ × [N−τ]
    return { features: stack(columns, 1), labels: series.slice(0, tau, n) };
  });
}

export interface ARModel {
  tau: number;
  /** w_i for the values oldest → newest in the window (weights[τ−1] multiplies yesterday). */
  weights: Float32Array;
  bias: number;
  /** Training MSE (standardised units) after each step. */
  losses: number[];
}

export interface FitOptions {
  steps?: number;
  lr?: number;
  /** Called every `every` steps; return false to stop early (the widget abandons stale fits). */
  onProgress?: (step: number, loss: number) => boolean | void | Promise<boolean | void>;
  every?: number;
}

/** Fits the linear AR(τ) model on z[0 : split] by Adam on the mean squared error, from zero weights. */
export async function fitAR(z: Float32Array, split: number, tau: number, options: FitOptions = {}): Promise<ARModel | null> {
  const { steps = 300, lr = 0.02, onProgress, every = 25 } = options;
  const series = tensor(z.subarray(0, split));
  const { features, labels } = makeWindows(series, tau); // [split−τ, τ], [split−τ]
  series.dispose();
  const model = new nn.Linear(tau, 1);
  // Start from zero rather than a random draw: the fit is then the same every time, and the
  // widget never touches the page's global random generator (the loss is convex, so the start
  // does not change where it ends).
  noGrad(() => model.parameters().forEach((p) => p.assign(zerosLike(p))));
  const opt = new optim.Adam(model.parameters(), { lr });
  const losses: number[] = [];
  try {
    for (let step = 1; step <= steps; step++) {
      const loss = tidy(() => {
        opt.zeroGrad();
        const l = mseLoss(model.forward(features).squeeze(-1), labels);
        l.backward();
        opt.step();
        return l;
      });
      losses.push(await loss.item());
      loss.dispose();
      if (onProgress && (step % every === 0 || step === steps) && (await onProgress(step, losses.at(-1)!)) === false) return null;
    }
    return {
      tau,
      weights: Float32Array.from(await model.weight.data()),
      bias: await model.bias!.item(),
      losses,
    };
  } finally {
    features.dispose();
    labels.dispose();
    for (const p of model.parameters()) p.dispose();
  }
}

/**
 * Forecasts `k` steps from each window, feeding every prediction back in as the newest input.
 * windows [B, τ] (standardised, oldest first) → [B, k].
 */
export function rollout(model: ARModel, windows: Tensor, k: number): Tensor {
  if (windows.ndim !== 2 || windows.shape[1] !== model.tau) {
    throw new Error(`rollout: windows must have shape [B, ${model.tau}], got [${windows.shape.join(', ')}]`);
  }
  return noGrad(() =>
    tidy(() => {
      const w = tensor(model.weights).reshape([model.tau, 1]); // [τ, 1]
      let window = windows;
      const steps: Tensor[] = [];
      for (let i = 0; i < k; i++) {
        const next = window.matmul(w).add(model.bias); // [B, 1]
        steps.push(next);
        window = cat([window.slice(1, 1, model.tau), next], 1); // drop the oldest, append the guess
      }
      return cat(steps, 1); // [B, k]
    }),
  );
}

/** The seasonal naive forecast of day `target` made at the end of day `origin`: the same weekday in the last week seen. */
export function seasonalNaiveIndex(origin: number, target: number, period = PERIOD): number {
  const k = target - origin;
  if (k < 1) throw new Error(`seasonalNaiveIndex: target ${target} must come after origin ${origin}`);
  return target - period * Math.ceil(k / period);
}

export interface HorizonErrors {
  /** MAE at horizons 1 … K over every origin in the test part, in the series' units. */
  ar: number[];
  seasonal: number[];
  last: number[];
  /** Number of forecast origins averaged over. */
  origins: number;
}

/**
 * For every origin o in [split − 1, N − K − 1] (the last observed day), forecasts days o+1 … o+K
 * and averages the absolute errors per horizon.
 */
export async function horizonErrors(series: ArrayLike<number>, data: Standardised, split: number, model: ARModel, K: number): Promise<HorizonErrors> {
  const n = series.length;
  const first = split - 1;
  const origins = n - K - first;
  if (origins < 1) throw new Error(`horizonErrors: no origin leaves ${K} test days`);
  if (first + 1 < model.tau) throw new Error(`horizonErrors: the first origin has fewer than τ = ${model.tau} days of history`);
  const windows = tensor(
    Array.from({ length: origins }, (_, o) => Array.from(data.z.subarray(first + o + 1 - model.tau, first + o + 1))),
  ); // [origins, τ]
  const forecast = rollout(model, windows, K);
  const values = await forecast.data();
  windows.dispose();
  forecast.dispose();
  const ar = new Array<number>(K).fill(0);
  const seasonal = new Array<number>(K).fill(0);
  const last = new Array<number>(K).fill(0);
  for (let o = 0; o < origins; o++) {
    const origin = first + o;
    for (let k = 1; k <= K; k++) {
      const actual = series[origin + k]!;
      ar[k - 1]! += Math.abs(values[o * K + k - 1]! * data.std + data.mean - actual);
      seasonal[k - 1]! += Math.abs(series[seasonalNaiveIndex(origin, origin + k)]! - actual);
      last[k - 1]! += Math.abs(series[origin]! - actual);
    }
  }
  const mean = (a: number[]) => a.map((v) => v / origins);
  return { ar: mean(ar), seasonal: mean(seasonal), last: mean(last), origins };
}

export interface ForecastView {
  /** Days shown: from origin − before + 1 to origin + after. */
  days: number[];
  actual: number[];
  /** One-step-ahead predictions of each shown day from the true τ days before it (NaN where there is no full window). */
  oneStep: number[];
  /** The k-step forecast fed on its own predictions, for days origin+1 … origin+k. */
  rolled: number[];
  /** Seasonal naive forecast for days origin+1 … origin+k. */
  seasonal: number[];
}

/** What the top plot shows around one forecast origin (the last day the model sees). */
export async function forecastView(series: ArrayLike<number>, data: Standardised, model: ARModel, origin: number, k: number, before = 28, after = 28): Promise<ForecastView> {
  const n = series.length;
  if (!(origin >= model.tau - 1 && origin + k < n)) throw new Error(`forecastView: origin ${origin} with k = ${k} is outside the series`);
  const from = Math.max(model.tau, origin - before + 1);
  const to = Math.min(n - 1, origin + after);
  const days = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const windows = tensor(days.map((d) => Array.from(data.z.subarray(d - model.tau, d)))); // [days, τ]
  const one = rollout(model, windows, 1);
  const start = tensor([Array.from(data.z.subarray(origin + 1 - model.tau, origin + 1))]); // [1, τ]
  const rolledT = rollout(model, start, k);
  const [oneValues, rolledValues] = await Promise.all([one.data(), rolledT.data()]);
  for (const t of [windows, one, start, rolledT]) t.dispose();
  const unstandardise = (v: number) => v * data.std + data.mean;
  return {
    days,
    actual: days.map((d) => series[d]!),
    oneStep: Array.from(oneValues, unstandardise),
    rolled: Array.from(rolledValues, unstandardise),
    seasonal: Array.from({ length: k }, (_, i) => series[seasonalNaiveIndex(origin, origin + i + 1)]!),
  };
}
