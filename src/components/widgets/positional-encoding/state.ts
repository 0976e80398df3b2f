// The positional-encoding explorer's state and its URL form (?d=64&T=64&pos=10), shared by the
// chapter, the embed page and the "Copy embed code" snippet.
import { LENGTHS, WIDTHS } from './encoding.ts';

export interface PositionalEncodingState {
  /** Model width d: one of WIDTHS. */
  d: number;
  /** Number of positions shown, 0 … T−1: one of LENGTHS. */
  T: number;
  /** The chosen position, 0 … T−1. */
  pos: number;
}

export const DEFAULT_STATE: PositionalEncodingState = { d: 64, T: 64, pos: 10 };

function nearest(values: readonly number[], x: number): number {
  return values.reduce((best, v) => (Math.abs(v - x) < Math.abs(best - x) ? v : best));
}

/** Reads the state from a query string: missing or bad values become the defaults, others snap to the nearest allowed value. */
export function parseState(params: URLSearchParams): PositionalEncodingState {
  const number = (key: string): number | null => {
    const raw = params.get(key);
    if (raw === null || raw.trim() === '') return null;
    const x = Number(raw);
    return Number.isFinite(x) ? x : null;
  };
  const d = number('d');
  const T = number('T');
  const pos = number('pos');
  const length = T !== null && T > 0 ? nearest(LENGTHS, T) : DEFAULT_STATE.T;
  return {
    d: d !== null && d > 0 ? nearest(WIDTHS, d) : DEFAULT_STATE.d,
    T: length,
    pos: pos !== null && Number.isInteger(pos) && pos >= 0 ? Math.min(pos, length - 1) : Math.min(DEFAULT_STATE.pos, length - 1),
  };
}

export function serializeState(state: PositionalEncodingState): URLSearchParams {
  return new URLSearchParams({ d: String(state.d), T: String(state.T), pos: String(state.pos) });
}
