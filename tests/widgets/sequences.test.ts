// The AR-forecast widget's computation (src/components/widgets/sequences/forecast.ts), checked
// against values worked out by hand and against least squares solved independently in plain
// double-precision JavaScript (the normal equations), never against the module's own output.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { tensor } from '../../src/engine/index.ts';
import {
  fitAR,
  forecastView,
  horizonErrors,
  makeWindows,
  rollout,
  seasonalNaiveIndex,
  standardise,
  type ARModel,
} from '../../src/components/widgets/sequences/forecast.ts';
import { DEFAULT_STATE, parseState, serializeState } from '../../src/components/widgets/sequences/state.ts';

/** Least squares x_t ≈ Σ w_i x_{t−τ+i} + b over t in [τ, n), by Gauss–Jordan on the normal equations. */
function leastSquares(z: ArrayLike<number>, n: number, tau: number): { w: number[]; b: number; mse: number } {
  const d = tau + 1;
  const A = Array.from({ length: d }, () => new Array<number>(d + 1).fill(0));
  const row = (t: number) => [...Array.from({ length: tau }, (_, i) => z[t - tau + i]!), 1];
  for (let t = tau; t < n; t++) {
    const x = row(t);
    for (let i = 0; i < d; i++) {
      A[i]![d]! += x[i]! * z[t]!;
      for (let j = 0; j < d; j++) A[i]![j]! += x[i]! * x[j]!;
    }
  }
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[p]![c]!)) p = r;
    [A[c], A[p]] = [A[p]!, A[c]!];
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = A[r]![c]! / A[c]![c]!;
      for (let k = c; k <= d; k++) A[r]![k]! -= f * A[c]![k]!;
    }
  }
  const sol = A.map((r, i) => r[d]! / r[i]!);
  let mse = 0;
  for (let t = tau; t < n; t++) mse += (row(t).reduce((s, v, i) => s + v * sol[i]!, 0) - z[t]!) ** 2;
  return { w: sol.slice(0, tau), b: sol[tau]!, mse: mse / (n - tau) };
}

const model = (weights: number[], bias: number): ARModel => ({ tau: weights.length, weights: Float32Array.from(weights), bias, losses: [] });

describe('windows and standardisation', () => {
  test('standardise uses the training part only', () => {
    const { z, mean, std } = standardise([1, 2, 3, 10], 3);
    expect(mean).toBeCloseTo(2, 10);
    expect(std).toBeCloseTo(Math.sqrt(2 / 3), 6);
    expect(z[3]).toBeCloseTo(8 / Math.sqrt(2 / 3), 4); // the test value 10 did not move the statistics
  });

  test('makeWindows stacks τ shifted copies', async () => {
    const { features, labels } = makeWindows(tensor([1, 2, 3, 4, 5, 6]), 3);
    expect(features.shape).toEqual([3, 3]);
    expect(await features.array()).toEqual([[1, 2, 3], [2, 3, 4], [3, 4, 5]]);
    expect(await labels.array()).toEqual([4, 5, 6]);
    expect(() => makeWindows(tensor([1, 2, 3]), 3)).toThrow(/τ must be an integer in \[1, 2\], got 3/);
  });
});

describe('fitting by gradient descent', () => {
  test('reaches the least-squares weights of a synthetic AR(2) series', async () => {
    // x_t = 0.6 x_{t−1} − 0.3 x_{t−2} + 0.1 + noise, noise from a fixed LCG.
    let s = 12345;
    const noise = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.4;
    const x = [0, 0];
    for (let t = 2; t < 400; t++) x.push(0.6 * x[t - 1]! - 0.3 * x[t - 2]! + 0.1 + noise());
    const z = Float32Array.from(x);
    const fit = (await fitAR(z, 400, 2, { steps: 600, lr: 0.02 }))!;
    const ls = leastSquares(z, 400, 2);
    // weights[1] multiplies yesterday: close to 0.6; weights[0] two days ago: close to −0.3.
    expect(Array.from(fit.weights)[0]).toBeCloseTo(ls.w[0]!, 2);
    expect(Array.from(fit.weights)[1]).toBeCloseTo(ls.w[1]!, 2);
    expect(fit.bias).toBeCloseTo(ls.b, 2);
    expect(ls.w[1]).toBeCloseTo(0.6, 1);
    expect(fit.losses.at(-1)!).toBeLessThan(fit.losses[0]!);
  });

  test('on the births series, AR(7) trained as in the chapter ends at the least-squares MSE', async () => {
    const births = (JSON.parse(readFileSync('public/models/lstm-births/series.json', 'utf8')) as { births: number[] }).births;
    const split = 4749;
    const { z } = standardise(births, split);
    const fit = (await fitAR(z, split, 7, { steps: 300 }))!;
    const ls = leastSquares(z, split, 7);
    expect(fit.losses.at(-1)!).toBeLessThan(ls.mse * 1.01);
    expect(fit.losses.at(-1)!).toBeGreaterThan(ls.mse * 0.999);
    // The largest weight is on the same weekday last week (the oldest value in a 7-day window).
    const w = Array.from(fit.weights);
    expect(w.indexOf(Math.max(...w))).toBe(0);
  });

  test('a fit that is no longer wanted stops and returns null', async () => {
    const fit = await fitAR(Float32Array.from({ length: 50 }, (_, i) => Math.sin(i)), 50, 3, { steps: 100, every: 10, onProgress: (step) => step < 20 });
    expect(fit).toBeNull();
  });
});

describe('forecasting k steps ahead', () => {
  test('rollout feeds each prediction back as the newest input', async () => {
    // The mean of the last two values, from [1, 3]: 2, then mean(3, 2) = 2.5, then mean(2, 2.5) = 2.25.
    expect(await rollout(model([0.5, 0.5], 0), tensor([[1, 3]]), 3).array()).toEqual([[2, 2.5, 2.25]]);
    // Yesterday + 1 counts up; two windows at once.
    expect(await rollout(model([0, 1], 1), tensor([[0, 0], [5, 7]]), 3).array()).toEqual([[1, 2, 3], [8, 9, 10]]);
    expect(() => rollout(model([0, 1], 1), tensor([[1, 2, 3]]), 2)).toThrow(/windows must have shape \[B, 2\], got \[1, 3\]/);
  });

  test('the seasonal naive forecast copies the same weekday of the last week seen', () => {
    expect(seasonalNaiveIndex(10, 11)).toBe(4); // 1 day ahead: a week before the target
    expect(seasonalNaiveIndex(10, 17)).toBe(10); // 7 days ahead: the origin itself
    expect(seasonalNaiveIndex(10, 18)).toBe(4); // 8 days ahead: two weeks before the target
    expect(() => seasonalNaiveIndex(10, 10)).toThrow(/must come after/);
  });

  test('on a series with an exact weekly cycle, seasonal naive and the lag-7 AR model make no error', async () => {
    const week = [3, 1, 4, 1, 5, 9, 2];
    const series = Array.from({ length: 120 }, (_, i) => week[i % 7]!);
    const data = standardise(series, 80);
    const errors = await horizonErrors(series, data, 80, model([1, 0, 0, 0, 0, 0, 0], 0), 10);
    expect(errors.origins).toBe(120 - 10 - 79);
    errors.seasonal.forEach((e) => expect(e).toBe(0));
    errors.ar.forEach((e) => expect(e).toBeLessThan(1e-4));
    // Last value is wrong on most days: at k = 7 it is exactly right, elsewhere not.
    expect(errors.last[6]).toBe(0);
    expect(errors.last[0]).toBeGreaterThan(1);
  });

  test('forecastView returns the shown days, their one-step predictions and the k-step forecast', async () => {
    const series = Array.from({ length: 100 }, (_, i) => i);
    const data = standardise(series, 60);
    // On standardised values, "yesterday + one step" is z + 1/std.
    const m = model([0, 1], 1 / data.std);
    const view = await forecastView(series, data, m, 70, 5, 10, 10);
    expect(view.days[0]).toBe(61);
    expect(view.days.at(-1)).toBe(80);
    view.oneStep.forEach((v, i) => expect(v).toBeCloseTo(view.days[i]!, 3));
    expect(view.rolled.map((v) => Math.round(v * 1000) / 1000)).toEqual([71, 72, 73, 74, 75]);
    expect(view.seasonal).toEqual([64, 65, 66, 67, 68]);
  });
});

describe('URL state', () => {
  test('round-trips and clamps bad values', () => {
    expect(parseState(serializeState({ tau: 7, k: 21, day: 331 }))).toEqual({ tau: 7, k: 21, day: 331 });
    expect(parseState(new URLSearchParams('tau=0&k=99&day=-4'))).toEqual({ tau: 1, k: 28, day: 0 });
    expect(parseState(new URLSearchParams('tau=abc&k=&day=3.6'))).toEqual({ ...DEFAULT_STATE, day: 4 });
  });
});
