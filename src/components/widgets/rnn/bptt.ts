// Backpropagation through time, measured: a recurrent net h_t = φ(x_t W_xhᵀ + h_{t−1} W_hhᵀ)
// whose W_hh is a rotation scaled to spectral radius ρ, and the norm of ∂L/∂h_t at every step
// for the loss L = u · h_T, read from the engine's autograd (retainGrad on each h_t).
// The widget draws what this module returns; tests/widgets/rnn.test.ts checks it by hand.
import { Generator, randn, tensor, tidy, zeros, type Tensor } from '../../../engine/index.ts';

export const ACTIVATIONS = ['linear', 'tanh'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export interface BpttOptions {
  /** Spectral radius of W_hh (every eigenvalue of W_hh has this modulus). */
  rho: number;
  activation: Activation;
  /** Sequence length T. */
  steps: number;
  /** Width of the hidden state H. */
  hidden?: number;
  /** Width of each input x_t. */
  inputs?: number;
  seed?: number;
}

/**
 * ρ·Q with Q a random orthogonal H×H matrix (Gram–Schmidt on a Gaussian matrix), row-major.
 * Q's eigenvalues all have modulus 1 and it preserves lengths, so ρ·Q has spectral radius ρ
 * and multiplies every vector's length by exactly ρ.
 */
export function scaledRotation(hidden: number, rho: number, generator: Generator): Float64Array {
  const rows: number[][] = [];
  while (rows.length < hidden) {
    const v = Array.from({ length: hidden }, () => gaussian(generator));
    for (const r of rows) {
      const dot = r.reduce((s, ri, i) => s + ri * v[i]!, 0);
      r.forEach((ri, i) => (v[i] = v[i]! - dot * ri));
    }
    const norm = Math.hypot(...v);
    if (norm > 1e-6) rows.push(v.map((vi) => vi / norm));
  }
  return Float64Array.from(rows.flat(), (q) => rho * q);
}

function gaussian(generator: Generator): number {
  const u = 1 - generator.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * generator.random());
}

export interface BpttResult {
  rho: number;
  activation: Activation;
  steps: number;
  /** ‖∂L/∂h_t‖ for t = 1 … T (index t − 1). */
  norms: number[];
}

/** Checks the options the widget and the tests pass; a bad value gets a message that names it. */
function validate({ rho, steps, hidden = 16, inputs = 4 }: BpttOptions): void {
  if (!(rho >= 0) || !Number.isFinite(rho)) throw new Error(`gradientNorms: rho must be a finite number ≥ 0, got ${rho}`);
  for (const [name, n] of [['steps', steps], ['hidden', hidden], ['inputs', inputs]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`gradientNorms: ${name} must be a positive integer, got ${n}`);
  }
}

/** The weights and inputs of one run, row-major, as plain arrays (the tests redo the math on them). */
export interface BpttProblem {
  whh: Float32Array; // [H, H], ρ times a rotation
  wxh: Float32Array; // [H, d]
  xs: Float32Array; // [T, d]
  direction: Float32Array; // [H], unit length
}

/**
 * The seeded weights and inputs: W_hh = ρ·Q, W_xh ~ N(0, 1/d), x_t ~ N(0, 1), u a random unit
 * vector. They depend only on the seed and the sizes, so moving ρ changes nothing but W_hh's scale.
 */
export async function bpttProblem(options: BpttOptions): Promise<BpttProblem> {
  validate(options);
  const { rho, steps, hidden = 16, inputs = 4, seed = 0 } = options;
  const generator = new Generator(seed);
  const whh = Float32Array.from(scaledRotation(hidden, rho, generator));
  const [wxh, xs, u] = [randn([hidden, inputs], { generator }), randn([steps, inputs], { generator }), randn([hidden], { generator })];
  try {
    const [w, x, v] = await Promise.all([wxh.data(), xs.data(), u.data()]);
    const norm = Math.hypot(...v);
    return {
      whh,
      wxh: Float32Array.from(w, (a) => a / Math.sqrt(inputs)),
      xs: Float32Array.from(x),
      direction: Float32Array.from(v, (a) => a / norm),
    };
  } finally {
    [wxh, xs, u].forEach((t) => t.dispose());
  }
}

/**
 * Runs the net forward over T random inputs, backpropagates L = u · h_T (u a fixed unit vector,
 * so ‖∂L/∂h_T‖ = 1) and returns ‖∂L/∂h_t‖ for every step, read from autograd.
 */
export async function gradientNorms(options: BpttOptions): Promise<BpttResult> {
  const { rho, activation, steps, hidden = 16, inputs = 4 } = options;
  const problem = await bpttProblem(options);
  const [whh, wxh, xs, direction] = tidy(() => [
    tensor(problem.whh).reshape([hidden, hidden]), // W_hh [H, H]
    tensor(problem.wxh).reshape([hidden, inputs]), // W_xh [H, d]
    tensor(problem.xs).reshape([steps, inputs]), // x_1 … x_T [T, d]
    tensor(problem.direction), // u, a unit vector [H]
  ]);
  const h0 = zeros([1, hidden], { requiresGrad: true });
  const made: Tensor[] = [whh, wxh, xs, direction, h0];
  try {
    const states: Tensor[] = [];
    let h = h0;
    for (let t = 0; t < steps; t++) {
      const prev = h;
      h = tidy(() => {
        const pre = xs.slice(0, t, t + 1).matmul(wxh.T).add(prev.matmul(whh.T)); // [1, H]
        return activation === 'tanh' ? pre.tanh() : pre;
      });
      h.retainGrad();
      states.push(h);
      made.push(h);
    }
    const loss = tidy(() => h.squeeze(0).mul(direction).sum());
    made.push(loss);
    loss.backward();
    // Norms on the host in float64: with ρ = 3 over 60 steps the squares overflow float32.
    const grads = await Promise.all(states.map((s) => s.grad!.data()));
    const norms = grads.map((g) => Math.sqrt(Array.from(g, Number).reduce((a, v) => a + v * v, 0)));
    return { rho, activation, steps, norms };
  } finally {
    for (const t of made) {
      t.grad?.dispose();
      t.dispose();
    }
  }
}

/** The ratio ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ as a power of ten, for the readout ("10^−4.6"). */
export function decadesLost(result: BpttResult): number {
  const first = result.norms[0]!;
  const last = result.norms[result.norms.length - 1]!;
  return first > 0 && last > 0 ? Math.log10(first / last) : -Infinity;
}
