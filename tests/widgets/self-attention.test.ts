// The self-attention explorer's computation and URL state, against numbers worked by hand.
import { describe, expect, it } from 'vitest';
import { HEADS, MAX_TOKENS, attend, defaultPoint, strongest, tokenize } from '../../src/components/widgets/self-attention/explorer.ts';
import { DEFAULT_STATE, parseState, serializeState, withText } from '../../src/components/widgets/self-attention/state.ts';

const softmax = (xs: number[]): number[] => {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

function expectClose(actual: number[][], expected: number[][], digits = 5): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => row.forEach((v, j) => expect(v, `[${i}][${j}]`).toBeCloseTo(expected[i]![j]!, digits)));
}

describe('tokenize', () => {
  it('splits words and punctuation, as the chapter’s sentences need', () => {
    expect(tokenize('Server, can I have the check?')).toEqual(['Server', ',', 'can', 'I', 'have', 'the', 'check', '?']);
    expect(tokenize("  Looks like I just crashed the server.  ")).toEqual(['Looks', 'like', 'I', 'just', 'crashed', 'the', 'server', '.']);
  });
  it(`keeps at most ${MAX_TOKENS} tokens and returns none for blank text`, () => {
    expect(tokenize('one two three four five six seven eight nine ten')).toHaveLength(MAX_TOKENS);
    expect(tokenize('   ')).toEqual([]);
  });
});

describe('defaultPoint', () => {
  it('is the same for the same word (any case) and lies inside the plane', () => {
    expect(defaultPoint('Server')).toEqual(defaultPoint('server'));
    for (const w of ['a', 'check', 'crashed', '?', 'Thinking']) {
      const [x, y] = defaultPoint(w);
      expect(Math.hypot(x, y)).toBeGreaterThanOrEqual(0.45);
      expect(Math.hypot(x, y)).toBeLessThanOrEqual(1.15);
    }
    expect(defaultPoint('check')).not.toEqual(defaultPoint('crashed'));
  });
});

describe('attend', () => {
  const X: [number, number][] = [[1, 0], [0, 1], [1, 1]];

  it('head 1 (W^Q = W^K = 2I, W^V = I): weights = softmax(4 x_i·x_j / √2), Z = weights · X', async () => {
    const r = await attend(X, HEADS[0]!, false);
    expectClose(r.Q, [[2, 0], [0, 2], [2, 2]]);
    expectClose(r.K, r.Q);
    expectClose(r.V, X);
    const dots = X.map((a) => X.map((b) => (4 * (a[0] * b[0] + a[1] * b[1])) / Math.SQRT2));
    expectClose(r.scores, dots);
    const w = dots.map(softmax);
    expectClose(r.weights, w);
    expectClose(r.Z, w.map((row) => [row[0]! + row[2]!, row[1]! + row[2]!]));
  });

  it('head 2 rotates the keys: a token attends to the token a quarter-turn clockwise from it', async () => {
    const r = await attend([[1, 0], [0, 1]], HEADS[1]!, false);
    expectClose(r.K, [[0, 2], [-2, 0]]);
    expectClose(r.V, [[0, 1], [1, 0]]); // W^V swaps the coordinates
    // q0 = (2, 0): scores (0, -4)/√2; q1 = (0, 2): scores (4, 0)/√2.
    expectClose(r.weights, [softmax([0, -4 / Math.SQRT2]), softmax([4 / Math.SQRT2, 0])]);
    expect(strongest(r.weights[1]!)).toBe(0);
  });

  it('the causal mask zeroes the future and keeps every row summing to 1', async () => {
    const r = await attend(X, HEADS[0]!, true);
    expectClose(r.weights, [
      [1, 0, 0],
      [...softmax([0, 4 / Math.SQRT2]), 0],
      softmax([4 / Math.SQRT2, 4 / Math.SQRT2, 8 / Math.SQRT2]),
    ]);
    for (const row of r.weights) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expectClose(r.Z.slice(0, 1), [[1, 0]]); // the first token can only pass on its own value
  });

  it('the default sentence tells the chapter’s story: with head 1, “server” attends most to “crashed”', async () => {
    const tokens = tokenize(DEFAULT_STATE.text);
    const r = await attend(DEFAULT_STATE.emb, HEADS[0]!, false);
    expect(tokens[DEFAULT_STATE.query]).toBe('server');
    expect(tokens[strongest(r.weights[DEFAULT_STATE.query]!)]).toBe('crashed');
  });

  it('an empty sentence gives empty matrices, not an error', async () => {
    expect((await attend([], HEADS[0]!, true)).weights).toEqual([]);
  });
});

describe('state', () => {
  it('round-trips through the URL', () => {
    const s = { ...withText(DEFAULT_STATE, 'Server, can I have the check?'), head: 1, causal: true, query: 6 };
    s.emb = s.emb.map(([x, y], i) => (i === 2 ? [0.5, -1.2] : [x, y]));
    expect(parseState(serializeState(s))).toEqual(s);
    expect(parseState(serializeState(DEFAULT_STATE))).toEqual(DEFAULT_STATE);
  });

  it('falls back to defaults for anything malformed', () => {
    expect(parseState(new URLSearchParams())).toEqual(DEFAULT_STATE);
    const bad = parseState(new URLSearchParams({ text: 'a b c', emb: '1,2;oops', head: '7', causal: 'yes', query: '9' }));
    expect(bad.emb).toEqual(['a', 'b', 'c'].map(defaultPoint));
    expect(bad.head).toBe(0);
    expect(bad.causal).toBe(false);
    expect(bad.query).toBe(2);
    expect(parseState(new URLSearchParams({ text: ' ?? ' })).text).toBe(' ?? '); // punctuation is a token
    expect(parseState(new URLSearchParams({ text: '   ' })).text).toBe(DEFAULT_STATE.text);
    // Coordinates are clamped to the plane.
    expect(parseState(new URLSearchParams({ text: 'a b', emb: '9,-9;0.123,0' })).emb).toEqual([[1.5, -1.5], [0.12, 0]]);
  });

  it('new text gives fresh embeddings and keeps the query inside the sentence', () => {
    const s = withText({ ...DEFAULT_STATE, query: 6 }, 'hello world');
    expect(s.emb).toEqual([defaultPoint('hello'), defaultPoint('world')]);
    expect(s.query).toBe(1);
  });
});
