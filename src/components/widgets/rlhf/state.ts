// The preference-pairs widget's state and its URL form (?i=3&l=ab-.AB=), shared by the chapter, the
// embed page and the "Copy embed code" snippet. `labels` has one letter per pair: a / b / - (can't
// tell) are the reader's choices, A / B / = the built-in labeller's, and . a pair not labelled yet.
export const PAIR_COUNT = 256;

export interface RlhfPairsState {
  /** The pair on show, 0-based. */
  i: number;
  /** One letter per pair (see above); trailing '.' may be left out. */
  labels: string;
}

export const DEFAULT_STATE: RlhfPairsState = { i: 0, labels: '' };

const LETTERS = /^[ab\-AB=.]*$/;

/** Reads the state from a query string: bad values become the defaults. */
export function parseState(params: URLSearchParams): RlhfPairsState {
  const raw = params.get('i');
  const i = raw === null || raw.trim() === '' ? NaN : Number(raw);
  const l = params.get('l') ?? '';
  return {
    i: Number.isInteger(i) && i >= 0 && i < PAIR_COUNT ? i : DEFAULT_STATE.i,
    labels: LETTERS.test(l) ? l.slice(0, PAIR_COUNT).replace(/\.+$/, '') : DEFAULT_STATE.labels,
  };
}

export function serializeState(state: RlhfPairsState): URLSearchParams {
  const p = new URLSearchParams({ i: String(state.i) });
  const l = state.labels.replace(/\.+$/, '');
  if (l) p.set('l', l);
  return p;
}
