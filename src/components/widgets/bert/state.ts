// The masking explorer's state and its URL form (?text=...&seed=3&rate=15&mask=full&focus=2),
// shared by the chapter, the embed page and "Copy embed code". Parsing accepts anything: bad values
// fall back to the defaults.
import { MAX_WORDS } from './masking.ts';

export interface BertMaskingState {
  text: string;
  /** Seed of the draw (0–999). */
  seed: number;
  /** Share of words chosen, in percent (1–50). */
  rate: number;
  /** BERT's unmasked attention or GPT's causal mask. */
  mask: 'full' | 'causal';
  /** The word whose context the attention panel shows (index into the words). */
  focus: number;
}

export const DEFAULT_TEXT = 'The curious kitten deftly climbed the bookshelf';
export const MAX_TEXT = 120;
export const SEED_MAX = 999;
export const RATE_LIMITS = [1, 50] as const;

export const DEFAULT_STATE: BertMaskingState = { text: DEFAULT_TEXT, seed: 8, rate: 15, mask: 'full', focus: 2 };

const int = (raw: string | null, lo: number, hi: number): number | null => {
  if (raw === null || raw.trim() === '') return null;
  const x = Number(raw);
  return Number.isFinite(x) ? Math.min(hi, Math.max(lo, Math.round(x))) : null;
};

export function parseState(params: URLSearchParams): BertMaskingState {
  const out = { ...DEFAULT_STATE };
  const text = params.get('text');
  if (text !== null && /\S/.test(text)) out.text = text.slice(0, MAX_TEXT);
  out.seed = int(params.get('seed'), 0, SEED_MAX) ?? out.seed;
  out.rate = int(params.get('rate'), RATE_LIMITS[0], RATE_LIMITS[1]) ?? out.rate;
  const mask = params.get('mask');
  if (mask === 'full' || mask === 'causal') out.mask = mask;
  out.focus = int(params.get('focus'), 0, MAX_WORDS - 1) ?? (text !== null ? 0 : out.focus);
  return out;
}

export function serializeState(s: BertMaskingState): URLSearchParams {
  const p = new URLSearchParams();
  p.set('text', s.text);
  p.set('seed', String(s.seed));
  p.set('rate', String(s.rate));
  p.set('mask', s.mask);
  p.set('focus', String(s.focus));
  return p;
}
