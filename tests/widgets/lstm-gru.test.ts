// The lstm-gates widget's unit (lstm-unit.ts) against hand-worked values and the engine's nn.LSTM
// (itself checked against PyTorch), and its URL state.
import { describe, expect, test } from 'vitest';
import { nn, tensor } from '../../src/engine/index.ts';
import { INPUTS, INPUT_NAMES, beltGradient, runUnit, unitWeights } from '../../src/components/widgets/lstm-gru/lstm-unit.ts';
import { DEFAULT_STATE, parseState, serializeState } from '../../src/components/widgets/lstm-gru/state.ts';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('one LSTM unit', () => {
  test('a pulse written at step 1 is kept by a forget gate of σ(3), step after step', () => {
    const steps = runUnit(INPUTS.pulse, unitWeights({ forget: 3, input: -2, output: 2 }));
    // Step 1 by hand: i = σ(4·1 − 2), g = tanh(2·1), c = i·g (c_0 = 0), h = σ(2)·tanh(c).
    const c1 = sigmoid(2) * Math.tanh(2);
    expect(steps[0]!.c).toBeCloseTo(c1, 12);
    expect(steps[0]!.h).toBeCloseTo(sigmoid(2) * Math.tanh(c1), 12);
    // Afterwards x = 0: g = 0, so c_t = σ(3)^(t−1) · c_1.
    expect(steps[11]!.c).toBeCloseTo(sigmoid(3) ** 11 * c1, 12);
    expect(beltGradient(steps)).toBeCloseTo(sigmoid(3) ** 11, 12);
  });

  test('a closed forget gate wipes the belt', () => {
    const steps = runUnit(INPUTS.pulse, unitWeights({ forget: -4, input: -2, output: 2 }));
    expect(steps[11]!.c).toBeLessThan(1e-9);
  });

  test('equals nn.LSTM(1, 1) with the same weights, for every input', async () => {
    const w = unitWeights({ forget: 1.5, input: -0.5, output: 0.5 });
    const gates = ['i', 'f', 'g', 'o'] as const;
    // Non-zero recurrent weights, to check the h path too.
    const wh = { i: 0.3, f: -0.2, g: 0.7, o: 0.1 };
    const lstm = new nn.LSTM(1, 1);
    lstm.getParameter('weight_ih_l0')!.assign(tensor(gates.map((k) => [w.wx[k]])));
    lstm.getParameter('weight_hh_l0')!.assign(tensor(gates.map((k) => [wh[k]])));
    lstm.getParameter('bias_ih_l0')!.assign(tensor(gates.map((k) => w.b[k])));
    lstm.getParameter('bias_hh_l0')!.assign(tensor([0, 0, 0, 0]));
    for (const name of INPUT_NAMES) {
      const xs = INPUTS[name];
      const mine = runUnit(xs, { ...w, wh });
      const [out] = lstm.forward(tensor(xs.map((x) => [x])));   // unbatched [T, 1]
      const expected = Array.from(await out.data());
      mine.forEach((s, t) => expect(s.h, `${name}, step ${t + 1}`).toBeCloseTo(expected[t]!, 5));
    }
  });
});

describe('lstm-gates state', () => {
  test('round-trips through the URL', () => {
    const s = { ...DEFAULT_STATE, input: 'two-pulses' as const, forgetBias: -1.5, step: 4, part: 'f' as const };
    expect(parseState(serializeState(s))).toEqual(s);
    expect(parseState(serializeState(DEFAULT_STATE))).toEqual(DEFAULT_STATE);
  });

  test('bad values become defaults or are clamped to the sliders', () => {
    expect(parseState(new URLSearchParams('input=nope&forget=abc&t=&part=x'))).toEqual(DEFAULT_STATE);
    const s = parseState(new URLSearchParams('forget=99&in=-99&out=1.26&t=40'));
    expect(s.forgetBias).toBe(6);
    expect(s.inputBias).toBe(-4);
    expect(s.outputBias).toBe(1.5);
    expect(s.step).toBe(12);
  });
});
