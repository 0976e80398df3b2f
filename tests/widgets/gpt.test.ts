// The few-shot explorer's pure parts: the held-out codes (the same rule as train_icl.py), the
// prompts it builds, the best possible accuracy, and its URL state.
import { describe, expect, it } from 'vitest';
import { bestAccuracy, bestForQuery, buildPrompt, exampleOrder, heldOutCode, HELD_OUT_CODES, isHeldOut, rank, unrank } from '../../src/components/widgets/gpt/few-shot.ts';
import { DEFAULT_STATE, parseState, serializeState } from '../../src/components/widgets/gpt/state.ts';
import { countWords, DEFAULT_TOKENS_STATE, parseTokensState, serializeTokensState, showToken } from '../../src/components/widgets/gpt/tokens-state.ts';

describe('secret codes', () => {
  it('rank and unrank are inverse, in dictionary order', () => {
    expect(unrank(0)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(unrank(40319)).toEqual([7, 6, 5, 4, 3, 2, 1, 0]);
    expect(rank([0, 1, 2, 3, 4, 5, 7, 6])).toBe(1);
    for (const r of [0, 7, 1234, 40319]) expect(rank(unrank(r))).toBe(r);
  });

  it('every widget code is one of the 4,032 held-out codes, all different', () => {
    const seen = new Set<string>();
    for (let i = 0; i < HELD_OUT_CODES; i++) {
      const c = heldOutCode(i);
      expect(isHeldOut(c)).toBe(true);
      expect([...c].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      seen.add(c.join(''));
    }
    expect(seen.size).toBe(HELD_OUT_CODES);
    expect(heldOutCode(HELD_OUT_CODES)).toEqual(heldOutCode(0));
  });

  it('builds "letter digit ," examples and ends with the query letter', () => {
    const code = [5, 3, 0, 1, 2, 4, 6, 7];
    expect(buildPrompt(code, [2, 0], 2)).toBe('c0,a5,c');
    expect(buildPrompt(code, [], 7)).toBe('h');
    const order = exampleOrder(3);
    expect([...order].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(exampleOrder(3)).toEqual(order);
  });

  it('best possible: copy a shown letter, else guess among the unused digits', () => {
    expect([0, 1, 2, 4, 7, 8].map(bestAccuracy)).toEqual([0.125, 0.25, 0.375, 0.625, 1, 1]);
    expect(bestForQuery([1, 2], 2)).toBe(1);
    expect(bestForQuery([1, 2], 3)).toBeCloseTo(1 / 6);
  });
});

describe('few-shot state', () => {
  it('round-trips through the URL', () => {
    const s = { code: 17, k: 2, query: 'f', layer: 1, head: 2 };
    expect(parseState(serializeState(s))).toEqual(s);
    expect(parseState(serializeState(DEFAULT_STATE))).toEqual(DEFAULT_STATE);
  });

  it('turns bad values into defaults or clamps them', () => {
    expect(parseState(new URLSearchParams('code=abc&k=99&q=z&layer=-3&head=9'))).toEqual({ ...DEFAULT_STATE, k: 8, layer: 1, head: 2 });
    expect(parseState(new URLSearchParams('code=999999&q=ab'))).toEqual({ ...DEFAULT_STATE, code: HELD_OUT_CODES - 1 });
    expect(parseState(new URLSearchParams(''))).toEqual(DEFAULT_STATE);
  });
});

describe('tokenizer comparison state', () => {
  it('round-trips the text and falls back to the default for an empty one', () => {
    const s = { text: 'The Congress shall make no law' };
    expect(parseTokensState(serializeTokensState(s))).toEqual(s);
    expect(parseTokensState(new URLSearchParams('text=%20%20'))).toEqual(DEFAULT_TOKENS_STATE);
    expect(parseTokensState(new URLSearchParams(`text=${'x'.repeat(2000)}`)).text).toHaveLength(1000);
    expect(showToken(' the')).toBe('␣the');
    expect(showToken('a\n')).toBe('a⏎');
    expect(countWords('  To date,  the cleverest ')).toBe(4);
  });
});
