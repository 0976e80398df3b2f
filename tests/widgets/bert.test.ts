// The masking explorer's corruption, attention masks and URL state: the 15 % / 80-10-10 shares over
// many draws, a seed that replays, the lecture sentence's default draw, and a codec that takes anything.
import { describe, expect, test } from 'vitest';
import { Generator } from '../../src/engine/index.ts';
import { MASK, MAX_WORDS, REPLACEMENTS, drawMasks, tally, tokenize, visibleKeys } from '../../src/components/widgets/bert/masking.ts';
import { DEFAULT_STATE, DEFAULT_TEXT, parseState, serializeState } from '../../src/components/widgets/bert/state.ts';

describe('masking', () => {
  test('words and punctuation are tokens, at most MAX_WORDS', () => {
    expect(tokenize('The curious kitten deftly climbed the bookshelf')).toEqual(['The', 'curious', 'kitten', 'deftly', 'climbed', 'the', 'bookshelf']);
    expect(tokenize("Server, can I have the check?")).toEqual(['Server', ',', 'can', 'I', 'have', 'the', 'check', '?']);
    expect(tokenize('a '.repeat(40))).toHaveLength(MAX_WORDS);
    expect(tokenize('   ')).toEqual([]);
  });

  test('over many draws: 15 % chosen, and of those 80 % [MASK], 10 % random, 10 % unchanged', () => {
    const words = tokenize('one two three four five six seven eight nine ten');
    const t = { kept: 0, mask: 0, random: 0, same: 0 };
    for (let seed = 0; seed < 4000; seed++) {
      const c = tally(drawMasks(words, seed, 0.15));
      for (const k of Object.keys(t) as (keyof typeof t)[]) t[k] += c[k];
    }
    const chosen = t.mask + t.random + t.same;
    expect(chosen / 40000).toBeCloseTo(0.15, 2);
    expect(t.mask / chosen).toBeGreaterThan(0.77);
    expect(t.mask / chosen).toBeLessThan(0.83);
    expect(t.random / chosen).toBeGreaterThan(0.08);
    expect(t.random / chosen).toBeLessThan(0.12);
    expect(t.same / chosen).toBeGreaterThan(0.08);
    expect(t.same / chosen).toBeLessThan(0.12);
  });

  test('the same seed gives the same draw; what is shown follows the outcome', () => {
    const words = tokenize(DEFAULT_TEXT);
    expect(drawMasks(words, 123)).toEqual(drawMasks(words, 123));
    for (let seed = 0; seed < 200; seed++) {
      for (const w of drawMasks(words, seed, 0.5)) {
        if (w.outcome === 'mask') expect(w.shown).toBe(MASK);
        else if (w.outcome === 'random') expect(REPLACEMENTS).toContain(w.shown);
        else expect(w.shown).toBe(w.word);
      }
    }
  });

  test('the draw is the recipe written out with the engine Generator (the chapter cell does the same)', () => {
    const words = tokenize(DEFAULT_TEXT);
    const gen = new Generator(8);
    const expected = words.map((word) => {
      const chosen = gen.random() < 0.15;
      const action = gen.random();
      if (!chosen) return word;
      if (action < 0.8) return MASK;
      if (action < 0.9) return REPLACEMENTS[Math.floor(gen.random() * REPLACEMENTS.length)];
      return word;
    });
    expect(drawMasks(words, 8).map((w) => w.shown)).toEqual(expected);
  });

  test("the default draw of the lecture's sentence masks 'kitten' and 'climbed' and keeps one chosen word", () => {
    const draw = drawMasks(tokenize(DEFAULT_STATE.text), DEFAULT_STATE.seed, DEFAULT_STATE.rate / 100);
    expect(draw.map((w) => w.shown).join(' ')).toBe('The curious [MASK] deftly [MASK] the bookshelf');
    expect(tally(draw)).toEqual({ kept: 4, mask: 2, random: 0, same: 1 });
  });

  test('rate 0 chooses nothing; rate 1 chooses everything', () => {
    const words = tokenize(DEFAULT_TEXT);
    expect(tally(drawMasks(words, 5, 0)).kept).toBe(words.length);
    expect(tally(drawMasks(words, 5, 1)).kept).toBe(0);
  });

  test('BERT may read every position; GPT only those at or before the query', () => {
    expect(visibleKeys(2, 5, 'full')).toEqual([true, true, true, true, true]);
    expect(visibleKeys(2, 5, 'causal')).toEqual([true, true, true, false, false]);
    expect(visibleKeys(0, 3, 'causal')).toEqual([true, false, false]);
  });
});

describe('state', () => {
  test('the default round-trips through the URL', () => {
    expect(parseState(serializeState(DEFAULT_STATE))).toEqual(DEFAULT_STATE);
    const s = { text: 'Server, can I have the check?', seed: 41, rate: 30, mask: 'causal' as const, focus: 6 };
    expect(parseState(serializeState(s))).toEqual(s);
  });

  test('bad values become defaults or are clamped', () => {
    const s = parseState(new URLSearchParams('text=%20%20&seed=abc&rate=900&mask=diagonal&focus=-3'));
    expect(s.text).toBe(DEFAULT_TEXT);
    expect(s.seed).toBe(DEFAULT_STATE.seed);
    expect(s.rate).toBe(50);
    expect(s.mask).toBe('full');
    expect(s.focus).toBe(0);
    expect(parseState(new URLSearchParams('seed=5000')).seed).toBe(999);
    expect(parseState(new URLSearchParams(`text=${'x'.repeat(500)}`)).text).toHaveLength(120);
  });
});
