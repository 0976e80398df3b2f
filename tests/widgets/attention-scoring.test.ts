// The attention-scoring widget's computation and URL state, checked against values worked out by hand.
import { describe, expect, test } from 'vitest';
import { memory, tensor } from '../../src/engine/index.ts';
import {
  DIMS,
  N_KEYS,
  SCORINGS,
  additiveScores,
  saturationCurve,
  scoreOneQuery,
  scoreWith,
  weightStats,
} from '../../src/components/widgets/attention-scoring/scoring.ts';
import { DEFAULT_STATE, nextSeed, parseState, serializeState } from '../../src/components/widgets/attention-scoring/state.ts';

describe('scoring functions', () => {
  test('additive: tanh(q W_qᵀ + k W_kᵀ) wᵥ by hand', async () => {
    // q = [1, 0]; keys [0, 1] and [1, 1]; W_q = W_k = I, wᵥ = [1, 1]:
    //   key 1: tanh(1) + tanh(1) = 1.523188;  key 2: tanh(2) + tanh(1) = 0.964028 + 0.761594 = 1.725622
    const eye = tensor([[1, 0], [0, 1]]);
    const s = additiveScores(tensor([[1, 0]]), tensor([[0, 1], [1, 1]]), eye, eye, tensor([1, 1]));
    expect(s.shape).toEqual([1, 2]);
    const [a, b] = await s.data();
    expect(a).toBeCloseTo(1.523188, 5);
    expect(b).toBeCloseTo(1.725622, 5);
  });

  test('additive: batch dimensions and different query and key widths', () => {
    const s = additiveScores(tensor([[[1, 2, 3]], [[0, 0, 1]]]), tensor([[[1, 0], [0, 1], [1, 1]], [[2, 0], [0, 2], [1, 0]]]), tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]]), tensor([[1, 0], [0, 1], [1, 1], [0, 0]]), tensor([1, -1, 0.5, 2]));
    expect(s.shape).toEqual([2, 1, 3]); // [B, nq, nk]
  });

  test('dot and scaled dot: q·k and q·k/√d', async () => {
    // q = [1, 2, 0, 2], k = [3, 1, 5, -1]: q·k = 3 + 2 + 0 − 2 = 3; d = 4 ⇒ 3/2
    const q = tensor([[1, 2, 0, 2]]);
    const k = tensor([[3, 1, 5, -1]]);
    const unused = { Wq: tensor([[0]]), Wk: tensor([[0]]), wv: tensor([0]) };
    expect(await scoreWith('dot', q, k, unused).item()).toBeCloseTo(3, 6);
    expect(await scoreWith('scaled', q, k, unused).item()).toBeCloseTo(1.5, 6);
  });

  test('largest weight and entropy in bits', () => {
    expect(weightStats([0.5, 0.5])).toEqual({ max: 0.5, entropyBits: 1 });
    expect(weightStats([1, 0, 0, 0]).entropyBits).toBe(0);
    const uniform = weightStats(new Array(8).fill(1 / 8));
    expect(uniform.entropyBits).toBeCloseTo(3, 10);
    expect(uniform.max).toBe(1 / 8);
  });
});

describe('one query, ten keys', () => {
  test('every scoring gives ten weights summing to 1; the same seed gives the same vectors', async () => {
    const before = memory().liveTensors;
    const a = await scoreOneQuery(64, 1, 3);
    const b = await scoreOneQuery(64, 1, 3);
    const c = await scoreOneQuery(64, 1, 4);
    for (const s of SCORINGS) {
      expect(a.rows[s].weights.length).toBe(N_KEYS);
      expect(a.rows[s].weights.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 5);
      expect(Array.from(b.rows[s].weights)).toEqual(Array.from(a.rows[s].weights));
      expect(Array.from(c.rows[s].scores)).not.toEqual(Array.from(a.rows[s].scores));
    }
    expect(memory().liveTensors).toBe(before); // nothing leaks per redraw
  });

  test('the scaled score is the dot product divided by √d, and the temperature divides before the softmax', async () => {
    const r = await scoreOneQuery(256, 2, 7);
    r.rows.dot.scores.forEach((s, i) => expect(r.rows.scaled.scores[i]).toBeCloseTo(s / 16, 4));
    const z = Array.from(r.rows.scaled.scores, (s) => Math.exp(s / 2));
    const total = z.reduce((x, y) => x + y, 0);
    z.forEach((e, i) => expect(r.rows.scaled.weights[i]).toBeCloseTo(e / total, 5));
  });

  test('a high temperature flattens every scoring toward uniform weights', async () => {
    const r = await scoreOneQuery(1024, 10, 1);
    expect(r.rows.scaled.max).toBeLessThan(0.15);
    expect(r.rows.additive.max).toBeLessThan(0.15);
    expect(r.rows.scaled.entropyBits).toBeGreaterThan(Math.log2(N_KEYS) - 0.05);
  });
});

describe('saturation curve', () => {
  test('the dot product saturates as d grows; the scaled and additive scores do not', async () => {
    const curve = await saturationCurve(1);
    expect(curve.dims).toEqual(DIMS);
    const { dot, scaled, additive } = curve.meanMax;
    expect(dot.at(-1)!).toBeGreaterThan(0.9);
    expect(dot.at(-1)!).toBeGreaterThan(dot[0]! + 0.5);
    for (const m of [...scaled, ...additive]) expect(m).toBeLessThan(0.5);
    expect(Math.max(...scaled) - Math.min(...scaled)).toBeLessThan(0.15);
  });
});

describe('URL state', () => {
  test('round-trips and snaps to the sliders’ values', () => {
    const s = { d: 256, temperature: 0.5, seed: 42 };
    expect(parseState(serializeState(s))).toEqual(s);
    expect(parseState(new URLSearchParams('d=100&t=3&seed=7'))).toEqual({ d: 128, temperature: 2, seed: 7 });
  });

  test('bad values become defaults', () => {
    expect(parseState(new URLSearchParams('d=banana&t=-1&seed=1.5'))).toEqual(DEFAULT_STATE);
    expect(parseState(new URLSearchParams('seed=100000'))).toEqual(DEFAULT_STATE);
    expect(parseState(new URLSearchParams(''))).toEqual(DEFAULT_STATE);
  });

  test('"New vectors" walks through the seeds and wraps', () => {
    expect(nextSeed(1)).toBe(2);
    expect(nextSeed(999)).toBe(1);
  });
});
