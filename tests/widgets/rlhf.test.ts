// The preference-pairs widget: its URL state, the label string it hands to the chapter's cells,
// and the shipped pairs it shows (the built-in labeller's verdicts there are checked against the
// chapter's own labeller by tests/doc/claims/rlhf.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { counts, fillWithBuiltin, nextOpen, padded, setLabel, type Pair } from '../../src/components/widgets/rlhf/labels.ts';
import { DEFAULT_STATE, PAIR_COUNT, parseState, serializeState } from '../../src/components/widgets/rlhf/state.ts';

const data = JSON.parse(readFileSync(new URL('../../public/data/rlhf-pairs.json', import.meta.url), 'utf8')) as {
  promptTokens: number;
  continuationTokens: number;
  pairs: (Pair & { ids: { prompt: number[]; a: number[]; b: number[] } })[];
};

describe('state in the URL', () => {
  test('round-trips, and leaves out trailing open pairs', () => {
    const s = { i: 7, labels: 'ab-.AB=...' };
    const q = serializeState(s);
    expect(q.get('l')).toBe('ab-.AB=');
    expect(parseState(q)).toEqual({ i: 7, labels: 'ab-.AB=' });
    expect(parseState(serializeState(DEFAULT_STATE))).toEqual(DEFAULT_STATE);
  });

  test('bad values become the defaults', () => {
    expect(parseState(new URLSearchParams('i=-1&l=abc'))).toEqual(DEFAULT_STATE);
    expect(parseState(new URLSearchParams(`i=${PAIR_COUNT}`)).i).toBe(0);
    expect(parseState(new URLSearchParams('i=2.5&l=<script>')).labels).toBe('');
    expect(parseState(new URLSearchParams(`l=${'a'.repeat(400)}`)).labels).toHaveLength(PAIR_COUNT);
  });
});

describe('labels', () => {
  const pairs: Pair[] = [
    { prompt: 'p', a: 'x', b: 'y', builtin: 'a' },
    { prompt: 'p', a: 'x', b: 'y', builtin: 'b' },
    { prompt: 'p', a: 'x', b: 'y', builtin: '-' },
    { prompt: 'p', a: 'x', b: 'y', builtin: 'b' },
  ];

  test("a pick sets one letter; the rest stay open", () => {
    expect(setLabel('', 2, 'b')).toBe('..b');
    expect(setLabel('ab', 0, '-')).toBe('-b');
    expect(padded('a', 4)).toBe('a...');
  });

  test('the built-in labeller fills only what the reader left open, in capitals', () => {
    expect(fillWithBuiltin('.a', pairs)).toBe('Aa=B');
    expect(fillWithBuiltin('', pairs)).toBe('AB=B');
  });

  test('next open pair wraps round, and -1 when all are labelled', () => {
    expect(nextOpen('a.b.', 0, 4)).toBe(1);
    expect(nextOpen('a.b.', 1, 4)).toBe(3);
    expect(nextOpen('.bbb', 3, 4)).toBe(0);
    expect(nextOpen('abab', 0, 4)).toBe(-1);
  });

  test('counts the reader, the built-in labeller, and where they agree', () => {
    expect(counts('ab-B', pairs)).toEqual({ mine: 3, builtin: 1, agree: 2, compared: 2 });
    expect(counts('ba', pairs)).toEqual({ mine: 2, builtin: 0, agree: 0, compared: 2 });
  });
});

describe('the shipped pairs', () => {
  test(`${PAIR_COUNT} pairs of ${data.continuationTokens}-token continuations after ${data.promptTokens}-token prompts`, () => {
    expect(data.pairs).toHaveLength(PAIR_COUNT);
    for (const p of data.pairs) {
      expect(p.ids.prompt).toHaveLength(data.promptTokens);
      expect(p.ids.a).toHaveLength(data.continuationTokens);
      expect(p.ids.b).toHaveLength(data.continuationTokens);
      expect(['a', 'b', '-']).toContain(p.builtin);
      expect(p.prompt.length).toBeGreaterThan(0);
    }
  });

  test('the built-in labeller has a preference on most pairs, and no favourite side', () => {
    const n = (v: string) => data.pairs.filter((p) => p.builtin === v).length;
    expect(n('a') + n('b')).toBeGreaterThan(PAIR_COUNT / 2);
    expect(Math.abs(n('a') - n('b'))).toBeLessThan(PAIR_COUNT / 8);
  });
});
