// The parameter-count explorer's state and its URL form (?V=50257&T=1024&d=768&N=12&h=12&ff=4&tied=1),
// shared by the chapter, the embed page and the "Copy embed code" snippet.
import { PRESETS, type ModelConfig } from './params.ts';

export type TransformerParamsState = ModelConfig;

export const DEFAULT_STATE: TransformerParamsState = { ...PRESETS['GPT-2 small']! };

/** Allowed ranges: [min, max] for each integer field. */
export const LIMITS = {
  V: [1, 1_000_000],
  T: [1, 1_000_000],
  d: [1, 100_000],
  N: [1, 1000],
  h: [1, 1000],
  ffMult: [1, 16],
} as const;

export type IntField = keyof typeof LIMITS;

export function clampField(field: IntField, x: number): number {
  const [lo, hi] = LIMITS[field];
  return Math.min(hi, Math.max(lo, Math.round(x)));
}

const KEYS: Record<IntField, string> = { V: 'V', T: 'T', d: 'd', N: 'N', h: 'h', ffMult: 'ff' };

/** Reads the state from a query string: missing or bad values become the defaults, others are clamped. */
export function parseState(params: URLSearchParams): TransformerParamsState {
  const out = { ...DEFAULT_STATE };
  for (const field of Object.keys(KEYS) as IntField[]) {
    const raw = params.get(KEYS[field]);
    if (raw === null || raw.trim() === '') continue;
    const x = Number(raw);
    if (Number.isFinite(x)) out[field] = clampField(field, x);
  }
  const tied = params.get('tied');
  if (tied === '0' || tied === 'false') out.tied = false;
  else if (tied === '1' || tied === 'true') out.tied = true;
  return out;
}

export function serializeState(s: TransformerParamsState): URLSearchParams {
  const p = new URLSearchParams();
  for (const field of Object.keys(KEYS) as IntField[]) p.set(KEYS[field], String(s[field]));
  p.set('tied', s.tied ? '1' : '0');
  return p;
}
