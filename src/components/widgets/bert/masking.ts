// BERT's masked-LM corruption on words, for the masking explorer: each word is chosen with
// probability `rate`; a chosen word becomes [MASK] 80 % of the time, a random word 10 %, and stays
// itself 10 %. The same recipe as the chapter's cell (one draw to choose, one for the outcome, one
// more for the random word), on the engine's seeded Generator, so a seed always gives the same draw.
import { Generator } from '../../../engine/index.ts';

export const MAX_WORDS = 16;
export const MASK = '[MASK]';

/** What BERT's input shows at one position, and whether the loss reads that position. */
export type Outcome = 'kept' | 'mask' | 'random' | 'same';

export interface MaskedWord {
  /** The word in the sentence (the label the model must recover when chosen). */
  word: string;
  /** What the model reads there. */
  shown: string;
  outcome: Outcome;
}

/** Words the random replacement draws from (BERT draws from its whole vocabulary). */
export const REPLACEMENTS = [
  'ate', 'river', 'seven', 'blue', 'under', 'music', 'paper', 'slept', 'green', 'table',
  'after', 'quietly', 'window', 'cold', 'ran', 'bread',
] as const;

/** Words and punctuation marks, at most MAX_WORDS of them. */
export function tokenize(text: string): string[] {
  return (text.match(/[\p{L}\p{N}'’-]+|[^\s\p{L}\p{N}]/gu) ?? []).slice(0, MAX_WORDS);
}

/** One seeded draw of the 15 % / 80-10-10 corruption over `words`. */
export function drawMasks(words: readonly string[], seed: number, rate = 0.15): MaskedWord[] {
  const gen = new Generator(seed);
  return words.map((word) => {
    const chosen = gen.random() < rate;
    const action = gen.random();
    if (!chosen) return { word, shown: word, outcome: 'kept' };
    if (action < 0.8) return { word, shown: MASK, outcome: 'mask' };
    if (action < 0.9) {
      const pick = REPLACEMENTS[Math.min(REPLACEMENTS.length - 1, Math.floor(gen.random() * REPLACEMENTS.length))]!;
      return { word, shown: pick, outcome: 'random' };
    }
    return { word, shown: word, outcome: 'same' };
  });
}

/** Counts of each outcome in a draw. */
export function tally(draw: readonly MaskedWord[]): Record<Outcome, number> {
  const t: Record<Outcome, number> = { kept: 0, mask: 0, random: 0, same: 0 };
  for (const w of draw) t[w.outcome]++;
  return t;
}

/**
 * Which keys position `query` may attend to among `length` positions: all of them in BERT's
 * encoder (no mask), those at or before it under GPT's causal mask.
 */
export function visibleKeys(query: number, length: number, mask: 'full' | 'causal'): boolean[] {
  return Array.from({ length }, (_, key) => mask === 'full' || key <= query);
}
