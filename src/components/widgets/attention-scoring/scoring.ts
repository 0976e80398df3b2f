// Attention scores → weights for the three scoring functions of the attention-scoring chapter,
// computed with the book's engine: one query and ten keys with unit-variance entries in d
// dimensions, and the mean largest weight over many such draws as d grows. No DOM here; the
// widget draws what this module returns, and tests/widgets/attention-scoring.test.ts checks it.
import { Generator, randn, tensor, tidy, type Tensor } from '../../../engine/index.ts';

export const SCORINGS = ['dot', 'scaled', 'additive'] as const;
export type Scoring = (typeof SCORINGS)[number];

export const SCORING_LABELS: Record<Scoring, string> = {
  dot: 'dot product q·k',
  scaled: 'scaled q·k / √d',
  additive: 'additive (Bahdanau)',
};

/** Keys per query. */
export const N_KEYS = 10;
/** Hidden width d_h of the additive scorer. */
export const ADDITIVE_HIDDEN = 32;
/** The widths the d slider offers: 1, 2, 4, …, 1024. */
export const DIMS = Array.from({ length: 11 }, (_, i) => 2 ** i);

/**
 * Additive scores tanh(q W_qᵀ + k W_kᵀ) wᵥ for queries q [..., nq, dq] and keys k [..., nk, dk]
 * with Wq [dh, dq], Wk [dh, dk], wv [dh] → [..., nq, nk].
 */
export function additiveScores(q: Tensor, k: Tensor, Wq: Tensor, Wk: Tensor, wv: Tensor): Tensor {
  return tidy(() => {
    const qh = q.matmul(Wq.T).unsqueeze(-2); // [..., nq, 1, dh]
    const kh = k.matmul(Wk.T).unsqueeze(-3); // [..., 1, nk, dh]
    return qh.add(kh).tanh().matmul(wv); // [..., nq, nk]
  });
}

/**
 * Scores of queries q [..., nq, d] against keys k [..., nk, d] → [..., nq, nk]. The additive
 * scorer's weights come from `additive` (initialised like nn.Linear: U(±1/√fan-in)).
 */
export function scoreWith(kind: Scoring, q: Tensor, k: Tensor, additive: AdditiveWeights): Tensor {
  return tidy(() => {
    const d = q.shape[q.ndim - 1]!;
    if (kind === 'additive') return additiveScores(q, k, additive.Wq, additive.Wk, additive.wv);
    const dots = q.matmul(k.mT);
    return kind === 'scaled' ? dots.div(Math.sqrt(d)) : dots;
  });
}

export interface AdditiveWeights {
  Wq: Tensor;
  Wk: Tensor;
  wv: Tensor;
}

/** W_q, W_k ~ U(±1/√d) [dh, d] and wᵥ ~ U(±1/√dh) [dh], as nn.Linear initialises them. */
export function additiveWeights(d: number, generator: Generator): AdditiveWeights {
  const uniform = (shape: number[], bound: number): Tensor =>
    tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (2 * generator.random() - 1) * bound), { shape });
  return {
    Wq: uniform([ADDITIVE_HIDDEN, d], 1 / Math.sqrt(d)),
    Wk: uniform([ADDITIVE_HIDDEN, d], 1 / Math.sqrt(d)),
    wv: uniform([ADDITIVE_HIDDEN], 1 / Math.sqrt(ADDITIVE_HIDDEN)),
  };
}

/** Largest entry and entropy in bits of one distribution. */
export function weightStats(weights: ArrayLike<number>): { max: number; entropyBits: number } {
  let max = 0;
  let entropy = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (w > max) max = w;
    if (w > 0) entropy -= w * Math.log2(w);
  }
  return { max, entropyBits: entropy };
}

export interface ScoringResult {
  d: number;
  temperature: number;
  seed: number;
  /** Per scoring function: the raw scores and the weights softmax(score / τ) of the ten keys. */
  rows: Record<Scoring, { scores: Float32Array; weights: Float32Array; max: number; entropyBits: number }>;
}

/** One query and N_KEYS keys with N(0, 1) entries in d dimensions, drawn from Generator(seed). */
export async function scoreOneQuery(d: number, temperature: number, seed: number): Promise<ScoringResult> {
  const generator = new Generator(seed);
  const q = randn([1, d], { generator });
  const k = randn([N_KEYS, d], { generator });
  const add = additiveWeights(d, generator);
  const rows = {} as ScoringResult['rows'];
  try {
    for (const kind of SCORINGS) {
      const scores = scoreWith(kind, q, k, add);
      const weights = tidy(() => scores.div(temperature).softmax(-1));
      const w = (await weights.data()) as Float32Array;
      rows[kind] = { scores: (await scores.data()) as Float32Array, weights: w, ...weightStats(w) };
      scores.dispose();
      weights.dispose();
    }
  } finally {
    [q, k, add.Wq, add.Wk, add.wv].forEach((t) => t.dispose());
  }
  return { d, temperature, seed, rows };
}

export interface SaturationCurve {
  temperature: number;
  dims: number[];
  /** Per scoring function, the mean largest weight over `draws` queries at each d. */
  meanMax: Record<Scoring, number[]>;
}

/** Mean largest weight of softmax(score / τ) over `draws` random queries (each with N_KEYS keys), for every d in DIMS. */
export async function saturationCurve(temperature: number, draws = 48, seed = 12345): Promise<SaturationCurve> {
  const generator = new Generator(seed);
  const meanMax = { dot: [], scaled: [], additive: [] } as Record<Scoring, number[]>;
  for (const d of DIMS) {
    const q = randn([draws, 1, d], { generator }); // [draws, 1, d]
    const k = randn([draws, N_KEYS, d], { generator }); // [draws, N_KEYS, d]
    const add = additiveWeights(d, generator);
    try {
      for (const kind of SCORINGS) {
        const m = tidy(() => scoreWith(kind, q, k, add).div(temperature).softmax(-1).max(-1).mean());
        meanMax[kind].push(await m.item());
        m.dispose();
      }
    } finally {
      [q, k, add.Wq, add.Wk, add.wv].forEach((t) => t.dispose());
    }
  }
  return { temperature, dims: DIMS, meanMax };
}
