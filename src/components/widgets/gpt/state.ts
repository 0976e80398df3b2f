// The few-shot explorer's state and its URL form (?code=0&k=4&q=c&layer=2&head=1).
import { HELD_OUT_CODES, KEYS, N } from './few-shot.ts';

export interface FewShotState {
  /** Which held-out code (0 … 4031). */
  code: number;
  /** Examples shown before the query (0 … 8). */
  k: number;
  /** The query letter, a–h. */
  query: string;
  /** Layer and head whose attention is shown, 1-based. */
  layer: number;
  head: number;
}

export const LAYERS = 2;
export const HEADS = 2;

export const DEFAULT_STATE: FewShotState = { code: 0, k: 4, query: 'c', layer: 2, head: 1 };

function int(raw: string | null, lo: number, hi: number, d: number): number {
  if (raw === null || raw.trim() === '') return d;
  const x = Number(raw);
  return Number.isFinite(x) ? Math.min(hi, Math.max(lo, Math.round(x))) : d;
}

export function parseState(p: URLSearchParams): FewShotState {
  const d = DEFAULT_STATE;
  const q = p.get('q');
  return {
    code: int(p.get('code'), 0, HELD_OUT_CODES - 1, d.code),
    k: int(p.get('k'), 0, N, d.k),
    query: q !== null && q.length === 1 && KEYS.includes(q) ? q : d.query,
    layer: int(p.get('layer'), 1, LAYERS, d.layer),
    head: int(p.get('head'), 1, HEADS, d.head),
  };
}

export function serializeState(s: FewShotState): URLSearchParams {
  return new URLSearchParams({ code: String(s.code), k: String(s.k), q: s.query, layer: String(s.layer), head: String(s.head) });
}
