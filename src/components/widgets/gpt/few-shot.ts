// The secret-code task of the GPT chapter's in-context learning model (public/models/gpt-icl,
// scripts/models/train_icl.py): a code maps the letters a–h one-to-one onto the digits 0–7, and a
// prompt shows k examples "c5,a3,…" and then a query letter. Pure functions, no DOM.
import { mulberry32 } from '../seeded-random.ts';

export const KEYS = 'abcdefgh';
export const VALUES = '01234567';
export const SEP = ',';
export const N = 8;
/** Codes whose rank in dictionary order is 7 mod 10 were never trained on (train_icl.py HELD_OUT). */
export const HELD_OUT_REMAINDER = 7;
/** 8! / 10 codes are held out: ranks 7, 17, 27, …, 40317. */
export const HELD_OUT_CODES = 4032;

const FACT = [1, 1, 2, 6, 24, 120, 720, 5040, 40320];

/** Rank of a permutation of 0..N-1 in dictionary order (0 = identity). */
export function rank(perm: readonly number[]): number {
  const items = Array.from({ length: perm.length }, (_, i) => i);
  let r = 0;
  perm.forEach((p, i) => {
    const j = items.indexOf(p);
    r += j * FACT[perm.length - 1 - i]!;
    items.splice(j, 1);
  });
  return r;
}

/** The permutation of 0..N-1 with the given rank in dictionary order. */
export function unrank(r: number): number[] {
  const items = Array.from({ length: N }, (_, i) => i);
  const out: number[] = [];
  for (let i = N - 1; i >= 0; i--) {
    const j = Math.floor(r / FACT[i]!);
    r -= j * FACT[i]!;
    out.push(items.splice(j, 1)[0]!);
  }
  return out;
}

export const isHeldOut = (perm: readonly number[]): boolean => rank(perm) % 10 === HELD_OUT_REMAINDER;

/** Held-out code number i (0 ≤ i < 4032): a code the model never saw in training. */
export function heldOutCode(i: number): number[] {
  const n = ((Math.floor(i) % HELD_OUT_CODES) + HELD_OUT_CODES) % HELD_OUT_CODES;
  return unrank(10 * n + HELD_OUT_REMAINDER);
}

/** The order in which code i shows its examples: all eight keys, shuffled by the code number. */
export function exampleOrder(i: number): number[] {
  const rnd = mulberry32(1000 + i);
  const keys = Array.from({ length: N }, (_, j) => j);
  for (let j = N - 1; j > 0; j--) {
    const m = Math.floor(rnd() * (j + 1));
    [keys[j], keys[m]] = [keys[m]!, keys[j]!];
  }
  return keys;
}

/** "c5,a3,f0," for the shown keys, then the query letter. */
export function buildPrompt(code: readonly number[], shown: readonly number[], query: number): string {
  return shown.map((k) => `${KEYS[k]}${VALUES[code[k]!]}${SEP}`).join('') + KEYS[query];
}

/**
 * Accuracy of the best possible reader of k distinct examples when the query is uniform over all 8
 * letters: it copies a shown letter's digit, and otherwise guesses among the 8 − k unused digits.
 */
export const bestAccuracy = (k: number): number => Math.min(1, (k + 1) / N);

/** The best possible probability of the right digit for one prompt. */
export function bestForQuery(shown: readonly number[], query: number): number {
  return shown.includes(query) ? 1 : 1 / (N - shown.length);
}
