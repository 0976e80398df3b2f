// One LSTM unit (input width d = 1, hidden width H = 1) in plain numbers: the lstm-gates widget's
// computation. Its gates look only at the input (recurrent weights 0), so each gate is a sigmoid
// of w·x + b and the reader's bias sliders move it directly. Same equations and gate order
// (i, f, g, o) as nn.LSTM; tests/widgets/lstm-gru.test.ts checks it against the engine.

export type Gate = 'i' | 'f' | 'g' | 'o';

export interface UnitWeights {
  /** Input weight of each gate (W_ih, one number per gate). */
  wx: Record<Gate, number>;
  /** Recurrent weight of each gate (W_hh). */
  wh: Record<Gate, number>;
  /** Bias of each gate (b_ih + b_hh). */
  b: Record<Gate, number>;
}

export interface Step {
  x: number;
  hPrev: number;
  cPrev: number;
  i: number;
  f: number;
  g: number;
  o: number;
  c: number;
  h: number;
}

export const SEQ_STEPS = 12;

export const INPUTS = {
  /** One write at the first step, then nothing: how long does the belt keep it? */
  pulse: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  /** Two writes: the second adds to what the belt still holds of the first. */
  'two-pulses': [1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0],
  /** A fixed, irregular signal. */
  wiggle: [0.6, -0.3, 0.9, 0.1, -0.8, 0.4, 0, 0.7, -0.5, 0.2, -0.1, 0.5],
} as const satisfies Record<string, readonly number[]>;

export type InputName = keyof typeof INPUTS;
export const INPUT_NAMES = Object.keys(INPUTS) as InputName[];

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The widget's unit: the input opens the input gate and writes tanh(2x); the reader sets the biases. */
export function unitWeights(biases: { forget: number; input: number; output: number }): UnitWeights {
  return {
    wx: { i: 4, f: 0, g: 2, o: 0 },
    wh: { i: 0, f: 0, g: 0, o: 0 },
    b: { i: biases.input, f: biases.forget, g: 0, o: biases.output },
  };
}

/** Runs the unit over xs from h = c = 0; one entry per step. */
export function runUnit(xs: readonly number[], w: UnitWeights): Step[] {
  let h = 0;
  let c = 0;
  return xs.map((x) => {
    const pre = (k: Gate) => w.wx[k] * x + w.wh[k] * h + w.b[k];
    const i = sigmoid(pre('i'));
    const f = sigmoid(pre('f'));
    const g = Math.tanh(pre('g'));
    const o = sigmoid(pre('o'));
    const step: Step = { x, hPrev: h, cPrev: c, i, f, g, o, c: f * c + i * g, h: 0 };
    step.h = o * Math.tanh(step.c);
    h = step.h;
    c = step.c;
    return step;
  });
}

/** ∂c_T/∂c_1 along the belt alone: the product of the forget gates of steps 2..T. */
export function beltGradient(steps: readonly Step[]): number {
  return steps.slice(1).reduce((p, s) => p * s.f, 1);
}
