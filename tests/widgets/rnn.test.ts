// The RNN chapter's gradient widget (bptt.ts, state.ts) and the unrolled diagram's bar scale,
// checked against values worked out by hand and against an independent float64 backward pass.
import { describe, expect, test } from 'vitest';
import { barHeights, subscript } from '../../src/components/diagrams/UnrolledRNN.tsx';
import { bpttProblem, decadesLost, gradientNorms, scaledRotation, type Activation } from '../../src/components/widgets/rnn/bptt.ts';
import { verdict } from '../../src/components/widgets/rnn/RnnGradients.tsx';
import { scalarStates } from '../../src/components/widgets/rnn/UnrollStepper.tsx';
import { DEFAULT_STATE, parseState, serializeState } from '../../src/components/widgets/rnn/state.ts';
import { Generator, memory } from '../../src/engine/index.ts';

/** BPTT by hand in float64: g_T = u, g_{t−1} = (g_t ⊙ φ'(a_t)) W_hh; returns ‖g_t‖ for t = 1 … T. */
async function handNorms(rho: number, activation: Activation, steps: number, hidden = 16, inputs = 4): Promise<number[]> {
  const { whh, wxh, xs, direction } = await bpttProblem({ rho, activation, steps, hidden, inputs });
  const pre: number[][] = [];
  let h = new Array<number>(hidden).fill(0);
  for (let t = 0; t < steps; t++) {
    const a = Array.from({ length: hidden }, (_, i) => {
      let s = 0;
      for (let j = 0; j < inputs; j++) s += xs[t * inputs + j]! * wxh[i * inputs + j]!;
      for (let j = 0; j < hidden; j++) s += h[j]! * whh[i * hidden + j]!;
      return s;
    });
    pre.push(a);
    h = a.map((v) => (activation === 'tanh' ? Math.tanh(v) : v));
  }
  const norms: number[] = [];
  let g = Array.from(direction);
  for (let t = steps - 1; t >= 0; t--) {
    norms.unshift(Math.hypot(...g));
    const scaled = g.map((gi, i) => gi * (activation === 'tanh' ? 1 - Math.tanh(pre[t]![i]!) ** 2 : 1));
    g = Array.from({ length: hidden }, (_, j) => scaled.reduce((s, si, i) => s + si * whh[i * hidden + j]!, 0));
  }
  return norms;
}

describe('scaledRotation', () => {
  test('ρ·Q with Q orthogonal: (ρQ)(ρQ)ᵀ = ρ² I', () => {
    const H = 6;
    const W = scaledRotation(H, 0.7, new Generator(4));
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < H; j++) {
        let dot = 0;
        for (let k = 0; k < H; k++) dot += W[i * H + k]! * W[j * H + k]!;
        expect(dot).toBeCloseTo(i === j ? 0.49 : 0, 10);
      }
    }
  });
});

describe('gradientNorms', () => {
  test('linear RNN: ‖∂L/∂h_t‖ = ρ^(T−t) exactly, since ρQ scales every vector by ρ', async () => {
    for (const rho of [0.8, 1, 1.3]) {
      const { norms } = await gradientNorms({ rho, activation: 'linear', steps: 12 });
      expect(norms).toHaveLength(12);
      norms.forEach((n, i) => expect(n / rho ** (11 - i)).toBeCloseTo(1, 4));
    }
  });

  test('tanh RNN: equals a float64 backward pass written out by hand', async () => {
    for (const rho of [0.9, 2.5]) {
      const { norms } = await gradientNorms({ rho, activation: 'tanh', steps: 20 });
      const expected = await handNorms(rho, 'tanh', 20);
      norms.forEach((n, i) => expect(n / expected[i]!).toBeCloseTo(1, 3));
    }
  });

  test('tanh never lets the gradient grow faster than ρ per step (|tanh′| ≤ 1)', async () => {
    const { norms } = await gradientNorms({ rho: 1.5, activation: 'tanh', steps: 30 });
    norms.forEach((n, i) => expect(n).toBeLessThanOrEqual(1.5 ** (29 - i) * (1 + 1e-5)));
  });

  test('vanishing and exploding: the readout says which, in powers of ten', async () => {
    const vanishing = await gradientNorms({ rho: 0.5, activation: 'linear', steps: 11 });
    expect(decadesLost(vanishing)).toBeCloseTo(10 * Math.log10(0.5), 4);
    expect(verdict(vanishing)).toBe('From h₁₁ back to h₁ the gradient shrinks by a factor of 10^3.0: it vanishes.');
    const exploding = await gradientNorms({ rho: 2, activation: 'linear', steps: 11 });
    expect(verdict(exploding)).toBe('From h₁₁ back to h₁ the gradient grows by a factor of 10^3.0: it explodes.');
    // At the widget's largest setting the norms stay finite (they are summed in float64).
    const largest = await gradientNorms({ rho: 3, activation: 'linear', steps: 60 });
    expect(largest.norms.every(Number.isFinite)).toBe(true);
  });

  test('frees every tensor it makes', async () => {
    const before = memory().liveTensors;
    await gradientNorms({ rho: 1, activation: 'tanh', steps: 10 });
    expect(memory().liveTensors).toBe(before);
  });

  test('bad options get a message that names them', async () => {
    await expect(gradientNorms({ rho: Number.NaN, activation: 'tanh', steps: 5 })).rejects.toThrow(/rho must be a finite number/);
    await expect(gradientNorms({ rho: 1, activation: 'tanh', steps: 0 })).rejects.toThrow(/steps must be a positive integer, got 0/);
  });
});

describe('widget state in the URL', () => {
  test('round-trips and rejects bad values', () => {
    const state = { activation: 'linear' as const, rho: 1.25, steps: 30 };
    expect(serializeState(state).toString()).toBe('act=linear&rho=1.25&T=30');
    expect(parseState(serializeState(state))).toEqual(state);
    expect(parseState(new URLSearchParams('act=relu&rho=abc&T='))).toEqual(DEFAULT_STATE);
    expect(parseState(new URLSearchParams('rho=9&T=500'))).toEqual({ ...DEFAULT_STATE, rho: 3, steps: 60 });
    expect(parseState(new URLSearchParams('rho=1.234&T=7.6'))).toEqual({ ...DEFAULT_STATE, rho: 1.25, steps: 8 });
  });
});

describe('the chapter\'s unrolling stepper', () => {
  test('a one-unit tanh RNN (w_xh = 1, w_hh = 0.8) remembers a single 1 less at every step: 0.76, 0.54, 0.41, …', () => {
    const h = scalarStates([1, 0, 0, 0, 0, 0], 1, 0.8, 0);
    expect(h[0]).toBeCloseTo(Math.tanh(1), 10);
    expect(h[1]).toBeCloseTo(Math.tanh(0.8 * Math.tanh(1)), 10);
    expect(h.slice(0, 3).map((v) => v.toFixed(2))).toEqual(['0.76', '0.54', '0.41']);
    h.slice(1).forEach((v, i) => expect(v).toBeLessThan(h[i]!));
  });
});

describe('UnrolledRNN helpers', () => {
  test('subscripts', () => {
    expect(subscript(12)).toBe('₁₂');
    expect(subscript('t−1')).toBe('ₜ₋₁');
  });
  test('bars: linear up to the largest |value|, log over at least one decade', () => {
    expect(barHeights([1, -2, 4], 'linear')).toEqual([0.25, 0.5, 1]);
    const log = barHeights([1e-4, 1e-2, 1], 'log');
    expect(log[2]).toBeCloseTo(1);
    expect(log[1]).toBeCloseTo(0.06 + 0.94 * 0.5);
    expect(log[0]).toBeCloseTo(0.06);
    expect(barHeights([0, Number.NaN], 'log')).toEqual([0, 0]);
  });
});
