// The soft-targets widget's state and its URL form (?example=two&T=4), shared by the chapter, the
// embed page and the "Copy embed code" snippet.
import { EXAMPLE_KEYS } from './soft-targets.ts';

export interface SoftTargetsState {
  /** Which image: a key of EXAMPLES. */
  example: string;
  /** Temperature, one of TEMPERATURES. */
  T: number;
}

/** The slider's stops: fine near 1, coarse above. */
export const TEMPERATURES = [0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20];

export const DEFAULT_STATE: SoftTargetsState = { example: 'two', T: 4 };

function nearest(values: readonly number[], x: number): number {
  return values.reduce((best, v) => (Math.abs(v - x) < Math.abs(best - x) ? v : best));
}

/** Reads the state from a query string: bad values become the defaults, a temperature snaps to the nearest stop. */
export function parseState(params: URLSearchParams): SoftTargetsState {
  const ex = params.get('example');
  const raw = params.get('T');
  const T = raw === null || raw.trim() === '' ? NaN : Number(raw);
  return {
    example: ex !== null && EXAMPLE_KEYS.includes(ex) ? ex : DEFAULT_STATE.example,
    T: Number.isFinite(T) && T > 0 ? nearest(TEMPERATURES, T) : DEFAULT_STATE.T,
  };
}

export function serializeState(state: SoftTargetsState): URLSearchParams {
  return new URLSearchParams({ example: state.example, T: String(state.T) });
}
