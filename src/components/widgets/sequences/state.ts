// The AR-forecast widget's state and its URL form (?tau=14&k=14&day=140), shared by the chapter,
// the embed page and the "Copy embed code" snippet.

export interface ForecastState {
  /** Window: days of history the linear model reads. */
  tau: number;
  /** Horizon: days forecast ahead, feeding the model its own predictions. */
  k: number;
  /** First forecast day, counted from 2013-01-01 (the first test day). */
  day: number;
}

export const TAU_MAX = 28;
export const K_MAX = 28;
/** The test period is 2013–2014 (730 days); the last start leaves K_MAX days to compare with. */
export const DAY_MAX = 730 - K_MAX;

export const DEFAULT_STATE: ForecastState = { tau: 14, k: 14, day: 140 };

function clampInt(raw: string | null, min: number, max: number, fallback: number): number {
  if (raw === null || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.round(n)));
}

/** Reads the state from a query string; missing or bad values fall back to the defaults. */
export function parseState(params: URLSearchParams): ForecastState {
  return {
    tau: clampInt(params.get('tau'), 1, TAU_MAX, DEFAULT_STATE.tau),
    k: clampInt(params.get('k'), 1, K_MAX, DEFAULT_STATE.k),
    day: clampInt(params.get('day'), 0, DAY_MAX, DEFAULT_STATE.day),
  };
}

export function serializeState(state: ForecastState): URLSearchParams {
  return new URLSearchParams({ tau: String(state.tau), k: String(state.k), day: String(state.day) });
}
