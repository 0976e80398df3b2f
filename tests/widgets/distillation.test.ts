// The soft-targets widget's arithmetic and URL state: softmax at T, KL and its gradient against the
// engine (softmax, klDiv and autograd), and the 1/T² shrinking that the T² factor undoes.
import { describe, expect, test } from 'vitest';
import { klDiv, tensor } from '../../src/engine/index.ts';
import { EXAMPLES, softTargets, softmaxT } from '../../src/components/widgets/distillation/soft-targets.ts';
import { DEFAULT_STATE, TEMPERATURES, parseState, serializeState } from '../../src/components/widgets/distillation/state.ts';

describe('soft targets', () => {
  test('softmax at T equals the engine softmax of z / T, and is stable for large logits', async () => {
    const z = EXAMPLES.two!.teacher;
    for (const T of [0.5, 1, 4, 20]) {
      const want = Array.from(await tensor(z).div(T).softmax(-1).data());
      softmaxT(z, T).forEach((p, i) => expect(p).toBeCloseTo(want[i]!, 6));
    }
    expect(softmaxT([1000, 999], 1).every(Number.isFinite)).toBe(true);
    expect(softmaxT([1000, 999], 1)[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
  });

  test('KL and its gradient equal the engine (klDiv and autograd)', async () => {
    for (const key of Object.keys(EXAMPLES)) {
      const ex = EXAMPLES[key]!;
      for (const T of [1, 3, 8]) {
        const s = softTargets(ex, T);
        const zs = tensor(ex.student).requiresGrad_();
        const kl = klDiv(zs.div(T).logSoftmax(-1), tensor(ex.teacher).div(T).softmax(-1), { reduction: 'sum' });
        kl.backward();
        expect(s.kl).toBeCloseTo(await kl.item(), 5);
        const g = Array.from(await zs.grad!.data());
        expect(s.gradNorm).toBeCloseTo(Math.sqrt(g.reduce((a, b) => a + b * b, 0)), 5);
      }
    }
  });

  test('the gradient shrinks like 1/T², so T² · gradient levels off', () => {
    const ex = EXAMPLES.two!;
    const g = (T: number) => softTargets(ex, T).gradNorm;
    expect(g(8) / g(16)).toBeGreaterThan(3.5);
    expect(g(8) / g(16)).toBeLessThan(4.5);
    expect(Math.abs((256 * g(16)) / (400 * g(20)) - 1)).toBeLessThan(0.05);
  });

  test('the teacher\'s two: 3 and 7 are its runners-up, and the wrong mass grows with T', () => {
    const ex = EXAMPLES.two!;
    const s = softTargets(ex, 4);
    const order = s.p.map((p, i) => [p, i] as const).sort((a, b) => b[0] - a[0]).map(([, i]) => i);
    expect(order.slice(0, 3)).toEqual([2, 3, 7]);
    expect(softTargets(ex, 1).wrongMass).toBeLessThan(softTargets(ex, 4).wrongMass);
  });
});

describe('URL state', () => {
  test('round-trips and snaps temperatures to the slider', () => {
    expect(parseState(serializeState(DEFAULT_STATE))).toEqual(DEFAULT_STATE);
    expect(parseState(new URLSearchParams('example=seven&T=8'))).toEqual({ example: 'seven', T: 8 });
    expect(parseState(new URLSearchParams('T=7.1')).T).toBe(8);
    expect(TEMPERATURES).toContain(parseState(new URLSearchParams('T=1000')).T);
  });

  test('bad values become the defaults', () => {
    expect(parseState(new URLSearchParams('example=nine&T=-3'))).toEqual(DEFAULT_STATE);
    expect(parseState(new URLSearchParams('T=abc'))).toEqual(DEFAULT_STATE);
    expect(parseState(new URLSearchParams(''))).toEqual(DEFAULT_STATE);
  });
});
