// The attention-scoring widget's state and its URL form (?d=64&t=1&seed=1), shared by the
// chapter, the embed page and the "Copy embed code" snippet.
import { DIMS } from './scoring.ts';

export interface AttentionScoringState {
  /** Width of the query and key vectors: one of DIMS (1 … 1024). */
  d: number;
  /** Softmax temperature τ: the weights are softmax(score / τ). One of TEMPERATURES. */
  temperature: number;
  /** Which random query and keys (a Generator seed, 1 … 999). */
  seed: number;
}

/** The temperatures the slider offers, evenly spaced on a log scale. */
export const TEMPERATURES = [0.1, 0.2, 0.5, 1, 2, 5, 10];
export const SEED_MAX = 999;

export const DEFAULT_STATE: AttentionScoringState = { d: 64, temperature: 1, seed: 1 };

function nearest(values: readonly number[], x: number): number {
  return values.reduce((best, v) => (Math.abs(Math.log(v) - Math.log(x)) < Math.abs(Math.log(best) - Math.log(x)) ? v : best));
}

/** Reads the state from a query string; missing or bad values fall back to the defaults, others snap to the nearest allowed value. */
export function parseState(params: URLSearchParams): AttentionScoringState {
  const number = (key: string): number | null => {
    const raw = params.get(key);
    if (raw === null || raw.trim() === '') return null;
    const x = Number(raw);
    return Number.isFinite(x) ? x : null;
  };
  const d = number('d');
  const t = number('t');
  const seed = number('seed');
  return {
    d: d !== null && d > 0 ? nearest(DIMS, d) : DEFAULT_STATE.d,
    temperature: t !== null && t > 0 ? nearest(TEMPERATURES, t) : DEFAULT_STATE.temperature,
    seed: seed !== null && Number.isInteger(seed) && seed >= 1 && seed <= SEED_MAX ? seed : DEFAULT_STATE.seed,
  };
}

export function serializeState(state: AttentionScoringState): URLSearchParams {
  return new URLSearchParams({ d: String(state.d), t: String(state.temperature), seed: String(state.seed) });
}

/** The next seed for "New vectors", wrapping within 1 … SEED_MAX. */
export function nextSeed(seed: number): number {
  return (seed % SEED_MAX) + 1;
}
