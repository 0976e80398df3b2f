// The t5-mini widget's pure parts: T5's span corruption (counts as T5's arithmetic gives them,
// the sentinel format, putting spans back) and the URL state.
import { describe, expect, test } from 'vitest';
import { corrupt, fillSpans, hasSentinel, noiseMask, roundHalfEven, spansOf } from '../../src/components/widgets/t5/span-corruption.ts';
import { mulberry32 } from '../../src/components/widgets/seeded-random.ts';
import { DEFAULT_STATE, EXAMPLE, parseState, serializeState } from '../../src/components/widgets/t5/state.ts';
import { modelInput } from '../../src/components/widgets/t5/T5Widget.tsx';

const runs = (mask: boolean[]): number[] => {
  const out: number[] = [];
  mask.forEach((m, i) => {
    if (m && !mask[i - 1]) out.push(1);
    else if (m) out[out.length - 1]!++;
  });
  return out;
};

describe('span corruption', () => {
  test('rounds half to even, as Python and tf.round do', () => {
    expect([0.5, 1.5, 2.5, 4.5, 4.65, 1.67, -0.5].map(roundHalfEven)).toEqual([0, 2, 2, 4, 5, 2, -0]);
  });

  test('T5 counts: round(0.15 n) words in round(noise / 3) spans', () => {
    // n → [noise words, spans]: 10 → 1.5 → 2 words, 1 span; 30 → 4.5 → 4, 1; 31 → 4.65 → 5, round(1.67) = 2; 100 → 15, 5.
    for (const [n, noise, spans] of [[10, 2, 1], [20, 3, 1], [30, 4, 1], [31, 5, 2], [100, 15, 5], [3, 1, 1]] as const) {
      for (let seed = 0; seed < 20; seed++) {
        const mask = noiseMask(n, mulberry32(seed));
        expect(mask).toHaveLength(n);
        expect(mask.filter(Boolean), `n = ${n}`).toHaveLength(noise);
        // The roll may split a span across the end and the start of the passage.
        const r = runs(mask).length - (mask[0] && mask[n - 1] ? 1 : 0);
        expect(r, `n = ${n}, seed ${seed}`).toBe(spans);
      }
    }
  });

  test('over long passages: 15 % of the words, spans of mean length 3', () => {
    let noise = 0, words = 0;
    const lengths: number[] = [];
    for (let seed = 0; seed < 300; seed++) {
      const mask = noiseMask(200, mulberry32(seed));
      noise += mask.filter(Boolean).length;
      words += mask.length;
      if (!(mask[0] && mask[199])) lengths.push(...runs(mask));
    }
    expect(noise / words).toBe(0.15);
    const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    expect(mean).toBeGreaterThan(2.8);
    expect(mean).toBeLessThan(3.2);
  });

  test("writes T5's input and target, and the target's spans put back give the sentence", () => {
    const text = 'Thank you for inviting me to your party last week and for the cake.';
    for (let seed = 0; seed < 30; seed++) {
      const c = corrupt(text, seed);
      const k = runs(c.mask).length;
      expect(c.input.match(/<X\d+>/g)).toHaveLength(k);
      expect(c.target.match(/<X\d+>/g)).toHaveLength(k + 1);
      expect(c.target.startsWith('<X0>')).toBe(true);
      expect(spansOf(c.target)).toHaveLength(k);
      expect(fillSpans(c.input, c.target)).toBe(text);
    }
    const same = corrupt(text, 7);
    expect(corrupt(text, 7)).toEqual(same);
  });

  test('reads a model output that stops early or skips a sentinel', () => {
    expect(spansOf('<X0>the Union<X1>')).toEqual(['the Union']);
    expect(spansOf('<X0>a b<X1>c<X2>')).toEqual(['a b', 'c']);
    expect(spansOf('<X0>a b<X2>c')).toEqual(['a b']);
    expect(spansOf('no sentinel at all')).toEqual([]);
    expect(fillSpans('The state of the <X0> is <X1>.', '<X0>Union<X1>')).toBe('The state of the Union is <X1>.');
    expect(hasSentinel('a <X3> b')).toBe(true);
    expect(hasSentinel('a <X> b')).toBe(false);
  });
});

describe('widget input', () => {
  test('a prefix for the prefixed tasks, a corrupted sentence or your own gaps for span corruption', () => {
    expect(modelInput('date', ' July 4, 1976 ', 1)).toEqual({ source: 'date: July 4, 1976', target: null });
    expect(modelInput('reverse', 'the Union', 1).source).toBe('reverse: the Union');
    expect(modelInput('span', 'I ask the <X0> to act.', 1)).toEqual({ source: 'I ask the <X0> to act.', target: null });
    const m = modelInput('span', EXAMPLE.span, 3);
    expect(m.source).toBe(corrupt(EXAMPLE.span, 3).input);
    expect(m.target).toBe(corrupt(EXAMPLE.span, 3).target);
  });
});

describe('URL state', () => {
  test('round-trips and falls back to defaults', () => {
    const s = { task: 'date' as const, text: 'July 4, 1976', seed: 5, layer: 0, head: 2 };
    expect(parseState(serializeState(s))).toEqual(s);
    expect(parseState(new URLSearchParams())).toEqual(DEFAULT_STATE);
    expect(parseState(new URLSearchParams('task=poem&seed=x&layer=9&head=-7'))).toEqual({ ...DEFAULT_STATE, layer: 1, head: -1 });
    expect(parseState(new URLSearchParams('task=reverse')).text).toBe(EXAMPLE.reverse);
    expect(parseState(new URLSearchParams(`text=${'a'.repeat(500)}`)).text).toHaveLength(180);
  });
});
