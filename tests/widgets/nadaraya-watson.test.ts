// The attention-pooling widget's computation, checked against values worked out by hand.
// Keys k = [0, 1, 3], values v = [1, 2, 4]; α(q, k_j) = K((q − k_j)/σ) / Σ_l K((q − k_l)/σ).
import { describe, expect, test } from 'vitest';
import { manualSeed, memory, rand, randn, tensor, type Tensor } from '../../src/engine/index.ts';
import {
  makeData,
  poolingResult,
  poolingTensors,
  trueFunction,
  type Kernel,
  type PoolingData,
} from '../../src/components/widgets/attention-pooling/nadaraya-watson.ts';

const keys = [0, 1, 3];
const values = [1, 2, 4];

function tiny(queries: number[]): PoolingData {
  return {
    xTrain: Float32Array.from(keys),
    yTrain: Float32Array.from(values),
    xQuery: Float32Array.from(queries),
    yTrue: Float32Array.from(queries, trueFunction),
  };
}

function rows(weights: Float32Array, width: number): number[][] {
  return Array.from({ length: weights.length / width }, (_, i) => Array.from(weights.subarray(i * width, (i + 1) * width)));
}

function expectClose(actual: number[][] | number[], expected: number[][] | number[], digits = 5): void {
  expect(actual.flat().length).toBe(expected.flat().length);
  actual.flat().forEach((a, i) => expect(a).toBeCloseTo(expected.flat()[i]!, digits));
}

describe('poolingResult on three keys', () => {
  test('Gaussian: softmax of −u²/2 over the keys', async () => {
    // q = 0.5, σ = 1: u = [0.5, −0.5, −2.5], scores [−0.125, −0.125, −3.125]
    //   ⇒ α ∝ [1, 1, e^−3] = [0.48786, 0.48786, 0.02429]; f̂ = 0.48786·1 + 0.48786·2 + 0.02429·4 = 1.56072
    // q = 2.5: scores [−3.125, −1.125, −0.125] ⇒ α ∝ [e^−3, e^−1, 1] = [0.03512, 0.25950, 0.70538]; f̂ = 3.37565
    const r = await poolingResult(tiny([0.5, 2.5]), 'gaussian', 1);
    expectClose(rows(r.weights, 3), [
      [0.4878556, 0.4878556, 0.0242889],
      [0.0351190, 0.2594965, 0.7053845],
    ]);
    expectClose(Array.from(r.fit), [1.5607222, 3.3756500]);
    expect(Array.from(r.covered)).toEqual([1, 1]);
    expect(r.uncoveredCount).toBe(0);
  });

  test('boxcar: equal weight on the keys within σ, the boundary included', async () => {
    // σ = 1: q = 0.5 reaches keys 0 and 1 (|u| = 0.5) ⇒ [½, ½, 0], f̂ = 1.5;
    //        q = 2.5 reaches only key 3 (|u| = 1.5, 1.5, 0.5 → no, no, yes) ⇒ [0, 0, 1], f̂ = 4;
    //        q = 0 reaches key 1 exactly at |u| = 1 ⇒ [½, ½, 0].
    const r = await poolingResult(tiny([0.5, 2.5, 0]), 'boxcar', 1);
    expectClose(rows(r.weights, 3), [
      [0.5, 0.5, 0],
      [0, 0, 1],
      [0.5, 0.5, 0],
    ]);
    expectClose(Array.from(r.fit), [1.5, 4, 1.5]);
  });

  test('Epanechnikov: weights ∝ max(0, 1 − u²), zero at |u| = 1', async () => {
    // σ = 2, q = 0.5: u = [0.25, −0.25, −1.25] ⇒ K = [0.9375, 0.9375, 0] ⇒ [½, ½, 0], f̂ = 1.5
    // σ = 2, q = 2.5: u = [1.25, 0.75, −0.25] ⇒ K = [0, 0.4375, 0.9375] ⇒ [0, 0.31818, 0.68182], f̂ = 3.36364
    // σ = 2, q = −2:  u = [−1, −1.5, −2.5] ⇒ K = [0, 0, 0]: uncovered even though key 0 is exactly σ away
    const r = await poolingResult(tiny([0.5, 2.5, -2]), 'epanechnikov', 2);
    expectClose(rows(r.weights, 3), [
      [0.5, 0.5, 0],
      [0, 0.4375 / 1.375, 0.9375 / 1.375],
      [0, 0, 0],
    ]);
    expectClose(Array.from(r.fit).slice(0, 2), [1.5, 3.3636364]);
    expect(Array.from(r.covered)).toEqual([1, 1, 0]);
  });

  test.each<Kernel>(['boxcar', 'epanechnikov'])('%s: a query with no key within σ gets an all-zero row, never NaN', async (kernel) => {
    // σ = 0.6, q = 2: |u| = [3.33, 1.67, 1.67], all beyond 1.
    const r = await poolingResult(tiny([0.5, 2]), kernel, 0.6);
    expect(Array.from(r.covered)).toEqual([1, 0]);
    expect(r.uncoveredCount).toBe(1);
    expect(rows(r.weights, 3)[1]).toEqual([0, 0, 0]);
    expect([...r.weights, ...r.fit].some(Number.isNaN)).toBe(false);
  });
});

describe('limits of the bandwidth', () => {
  test('a tiny σ puts all Gaussian weight on the nearest key (softmax does not underflow)', async () => {
    // Unnormalised exp(−u²/2) underflows to 0 for every key here (u ≥ 1000); the softmax form does not.
    const r = await poolingResult(tiny([0.9, 2.2]), 'gaussian', 1e-4);
    expectClose(rows(r.weights, 3), [
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(Array.from(r.covered)).toEqual([1, 1]);
  });

  test('a huge σ gives every key the same weight, so f̂ is the mean of the values', async () => {
    for (const kernel of ['gaussian', 'boxcar', 'epanechnikov'] as const) {
      const r = await poolingResult(tiny([0.5, 2.5]), kernel, 1e4);
      expectClose(Array.from(r.fit), [7 / 3, 7 / 3], 3);
    }
  });

  test('σ must be positive', () => {
    const t = tensor([0]);
    expect(() => poolingTensors(t, t, t, 'gaussian', 0)).toThrow(/sigma must be a positive number, got 0/);
    t.dispose();
  });

  test('every row of the weights sums to 1 or (uncovered) to 0, and no tensor is left alive', async () => {
    const data = await makeData();
    const before = memory().liveTensors;
    for (const kernel of ['gaussian', 'boxcar', 'epanechnikov'] as const) {
      for (const sigma of [0.05, 0.3, 2]) {
        const r = await poolingResult(data, kernel, sigma);
        rows(r.weights, r.keys).forEach((row, i) => {
          expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(r.covered[i] ? 1 : 0, 5);
        });
      }
    }
    expect(memory().liveTensors).toBe(before);
  });
});

describe('makeData', () => {
  test('50 sorted points on [0, 5], 100 evenly spaced queries, and the true function', async () => {
    const d = await makeData();
    expect(d.xTrain.length).toBe(50);
    expect(d.yTrain.length).toBe(50);
    expect(d.xQuery.length).toBe(100);
    expect(Array.from(d.xTrain)).toEqual(Array.from(d.xTrain).sort((a, b) => a - b));
    expect(Math.min(...d.xTrain)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...d.xTrain)).toBeLessThan(5);
    expect(d.xQuery[0]).toBe(0);
    expect(d.xQuery[99]).toBeCloseTo(5, 6);
    // f(π/2) = 2 + e^(0.8 · ln 1.570796) = 2 + e^0.361265 = 3.43515; f(0) = 0
    expect(trueFunction(Math.PI / 2)).toBeCloseTo(3.43515, 4);
    expect(d.yTrue[0]).toBe(0);
    // The noise has standard deviation 0.5: the residuals' sample std is near it.
    const residuals = Array.from(d.xTrain, (x, i) => d.yTrain[i]! - trueFunction(x));
    const mean = residuals.reduce((a, b) => a + b, 0) / residuals.length;
    const std = Math.sqrt(residuals.reduce((a, r) => a + (r - mean) ** 2, 0) / (residuals.length - 1));
    expect(std).toBeGreaterThan(0.3);
    expect(std).toBeLessThan(0.7);
  });

  test('the same seed gives the same data; another seed gives other data', async () => {
    const a = await makeData({ seed: 7 });
    const b = await makeData({ seed: 7 });
    const c = await makeData({ seed: 8 });
    expect(Array.from(a.xTrain)).toEqual(Array.from(b.xTrain));
    expect(Array.from(a.yTrain)).toEqual(Array.from(b.yTrain));
    expect(Array.from(a.xTrain)).not.toEqual(Array.from(c.xTrain));
  });
});

test('the default data are the points the chapter\'s "data" cell makes', async () => {
  // As written in src/content/docs/attention-pooling.mdx (cell id="data").
  manualSeed(0);
  const f = (x: Tensor) => x.sin().mul(2).add(x.pow(0.8));
  const raw = Array.from(await rand([50]).mul(5).data()).sort((a, b) => a - b);
  const xTrain = tensor(raw);
  const yTrain = f(xTrain).add(randn([50]).mul(0.5));
  const d = await makeData();
  expect(Array.from(d.xTrain)).toEqual(Array.from(await xTrain.data()));
  expect(Array.from(d.yTrain)).toEqual(Array.from(await yTrain.data()));
});
