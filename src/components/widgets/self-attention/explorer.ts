// Self-attention on a toy sentence whose tokens are points in the plane (d = 2): each head's
// W^Q, W^K, W^V are 2 × 2, so every query, key and value is a point too and the whole computation
// fits on one screen. Computed with the book's engine; tests/widgets/self-attention.test.ts checks
// it against hand-worked numbers.
import { ones, tensor, tidy, triu, type Tensor } from '../../../engine/index.ts';

export const MAX_TOKENS = 8;
/** Embedding coordinates are kept in [-COORD_MAX, COORD_MAX] and rounded to 2 decimals. */
export const COORD_MAX = 1.5;

export type Point = [number, number];
export type Matrix = number[][];

export interface Head {
  name: string;
  /** One line for the reader: what this head's matrices make it look for. */
  description: string;
  Wq: Matrix;
  Wk: Matrix;
  Wv: Matrix;
}

// Row-vector convention, as in the chapter: q = x W^Q with W^Q of shape [d_in = 2, d_k = 2].
export const HEADS: readonly Head[] = [
  {
    name: 'Head 1',
    description: 'W^Q = W^K = 2I, W^V = I: a token attends to the tokens that point the same way it does.',
    Wq: [[2, 0], [0, 2]],
    Wk: [[2, 0], [0, 2]],
    Wv: [[1, 0], [0, 1]],
  },
  {
    name: 'Head 2',
    description: 'W^K turns each key a quarter-turn anticlockwise, W^V swaps the coordinates: a token attends to the tokens a quarter-turn clockwise from it.',
    Wq: [[2, 0], [0, 2]],
    Wk: [[0, 2], [-2, 0]],
    Wv: [[0, 1], [1, 0]],
  },
];

/** Words and punctuation marks, at most MAX_TOKENS of them. */
export function tokenize(text: string): string[] {
  return (text.match(/[\p{L}\p{N}'’-]+|[^\s\p{L}\p{N}]/gu) ?? []).slice(0, MAX_TOKENS);
}

export function clampCoord(v: number): number {
  if (!Number.isFinite(v)) return 0;
  return Math.round(Math.min(COORD_MAX, Math.max(-COORD_MAX, v)) * 100) / 100;
}

/** A fixed starting point for a word (FNV-1a hash → angle and radius), the same in every browser. */
export function defaultPoint(word: string): Point {
  let h = 0x811c9dc5;
  for (const ch of word.toLowerCase()) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // FNV's low bits barely change between short words: mix them (MurmurHash3's finaliser).
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  const angle = ((h % 360) * Math.PI) / 180;
  const radius = 0.5 + ((h >>> 9) % 60) / 100;
  return [clampCoord(radius * Math.cos(angle)), clampCoord(radius * Math.sin(angle))];
}

export interface AttentionResult {
  Q: Matrix;
  K: Matrix;
  V: Matrix;
  /** QKᵀ/√d_k before masking, [T, T]. */
  scores: Matrix;
  /** softmax over each row after the mask, [T, T]: rows sum to 1, zero above the diagonal when causal. */
  weights: Matrix;
  /** weights · V: each token's output, [T, 2]. */
  Z: Matrix;
}

/** softmax(QKᵀ/√d_k + mask) V for the points X [T, 2] under one head. */
export async function attend(X: readonly Point[], head: Head, causal: boolean): Promise<AttentionResult> {
  if (X.length === 0) return { Q: [], K: [], V: [], scores: [], weights: [], Z: [] };
  const T = X.length;
  const parts = tidy(() => {
    const x = tensor(X.map((p) => [...p]));                   // [T, 2]
    const Q = x.matmul(tensor(head.Wq));                      // [T, dK]
    const K = x.matmul(tensor(head.Wk));                      // [T, dK]
    const V = x.matmul(tensor(head.Wv));                      // [T, dV]
    const scores = Q.matmul(K.T).div(Math.sqrt(Q.shape[1]!)); // [T, T]
    const masked = causal ? scores.maskedFill(triu(ones([T, T]), 1).bool(), -Infinity) : scores;
    const weights = masked.softmax(-1);                       // [T, T]
    return [Q, K, V, scores, weights, weights.matmul(V)] as Tensor[];
  });
  try {
    const [Q, K, V, scores, weights, Z] = (await Promise.all(parts.map((t) => t.array()))) as Matrix[];
    return { Q: Q!, K: K!, V: V!, scores: scores!, weights: weights!, Z: Z! };
  } finally {
    for (const t of parts) t.dispose();
  }
}

/** The index of a row's largest weight (the lowest index wins a tie). */
export function strongest(row: readonly number[]): number {
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j]! > row[best]!) best = j;
  return best;
}
