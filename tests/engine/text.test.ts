import { describe, expect, it } from 'vitest';
import {
  BERT_SPECIAL_TOKENS,
  BertCharTokenizer,
  CLS_ID,
  CharTokenizer,
  IGNORE_INDEX,
  MASK_ID,
  PAD_ID,
  SEP_ID,
  UNK_ID,
  argmax,
  sample,
  sampleCategorical,
  softmaxWithTemperature,
  topK,
  topP,
} from '../../src/engine/text/index.ts';

/** Replays fixed numbers, then fails loudly if asked for more. */
function scripted(values: number[]): () => number {
  let i = 0;
  return () => {
    if (i >= values.length) throw new Error('scripted random source ran out');
    return values[i++]!;
  };
}

/** A small seeded uniform source (Park–Miller) for frequency checks. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 48271) % 2147483647) / 2147483647;
}

describe('CharTokenizer', () => {
  it('builds a sorted vocabulary from a corpus and round-trips', () => {
    const tok = CharTokenizer.fromCorpus('hello world');
    expect(tok.tokens).toEqual([' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w']);
    expect(tok.vocabSize).toBe(8);
    expect(tok.encode('hello')).toEqual([3, 2, 4, 4, 5]);
    expect(tok.decode(tok.encode('hello world'))).toBe('hello world');
  });

  it('builds from several texts and keeps code points whole (an emoji is one token)', () => {
    const tok = CharTokenizer.fromCorpus(['ab', 'b🤖']);
    expect(tok.tokens).toEqual(['a', 'b', '🤖']);
    expect(tok.encode('🤖a')).toEqual([2, 0]);
  });

  it('keeps the order of a given alphabet and ignores repeats', () => {
    const tok = new CharTokenizer('cab' + 'a');
    expect(tok.tokens).toEqual(['c', 'a', 'b']);
    expect(tok.tokenToId('b')).toBe(2);
    expect(tok.idToToken(0)).toBe('c');
    expect(() => new CharTokenizer(['ab'])).toThrow(/single characters/);
  });

  it('names an unknown character and its position by default', () => {
    const tok = CharTokenizer.fromCorpus('abc');
    expect(() => tok.encode('abz')).toThrow(/"z" \(U\+007A\) at index 2 is not in the vocabulary/);
  });

  it('can skip unknown characters or map them to a token', () => {
    expect(CharTokenizer.fromCorpus('abc', { unknown: 'skip' }).encode('azb')).toEqual([0, 1]);
    const withUnk = new CharTokenizer('ab', { specialTokens: ['<unk>'], unknown: { replaceWith: '<unk>' } });
    expect(withUnk.encode('a?b')).toEqual([1, 0, 2]);
    expect(() => new CharTokenizer('ab', { unknown: { replaceWith: '<unk>' } })).toThrow(/not in the vocabulary/);
  });

  it('puts special tokens first and recognises them in text', () => {
    const tok = new CharTokenizer('ab', { specialTokens: ['<s>', '</s>'] });
    expect(tok.vocabSize).toBe(4);
    expect(tok.encode('<s>ab</s>')).toEqual([0, 2, 3, 1]);
    expect(tok.decode([0, 2, 3, 1], { skipSpecial: true })).toBe('ab');
    expect(() => tok.decode([4])).toThrow(/id 4 is out of range/);
  });
});

describe('BertCharTokenizer', () => {
  const tok = BertCharTokenizer.fromCorpus('abc');

  it('has [PAD] [UNK] [CLS] [SEP] [MASK] at ids 0..4, characters after', () => {
    expect(BERT_SPECIAL_TOKENS).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
    expect([PAD_ID, UNK_ID, CLS_ID, SEP_ID, MASK_ID]).toEqual([0, 1, 2, 3, 4]);
    expect(tok.vocabSize).toBe(8);
    expect(tok.encode('cab')).toEqual([7, 5, 6]);
  });

  it('maps unknown characters to [UNK] and reads [MASK] in text', () => {
    expect(tok.encode('a?[MASK]')).toEqual([5, UNK_ID, MASK_ID]);
  });

  it('encodes a pair as [CLS] a [SEP] b [SEP] with segment ids', () => {
    const enc = tok.encodePair('ab', 'c');
    expect(enc.ids).toEqual([CLS_ID, 5, 6, SEP_ID, 7, SEP_ID]);
    expect(enc.segmentIds).toEqual([0, 0, 0, 0, 1, 1]);
    expect(enc.attentionMask).toEqual([1, 1, 1, 1, 1, 1]);
    expect(tok.decode(enc.ids, { skipSpecial: true })).toBe('abc');
    expect(tok.decode(enc.ids)).toBe('[CLS]ab[SEP]c[SEP]');
  });

  it('encodes a single text and pads', () => {
    const enc = tok.encodePair('ba', undefined, { padTo: 6 });
    expect(enc.ids).toEqual([CLS_ID, 6, 5, SEP_ID, PAD_ID, PAD_ID]);
    expect(enc.segmentIds).toEqual([0, 0, 0, 0, 0, 0]);
    expect(enc.attentionMask).toEqual([1, 1, 1, 1, 0, 0]);
    expect(() => tok.encodePair('abcabc', undefined, { padTo: 4 })).toThrow(/padTo 4 is shorter/);
  });

  it('truncates the longer text first to fit maxLength', () => {
    const enc = tok.encodePair('aaaa', 'bb', { maxLength: 7 });
    expect(enc.ids).toEqual([CLS_ID, 5, 5, SEP_ID, 6, 6, SEP_ID]);
    const enc2 = tok.encodePair('aaaaa', 'bbbbbbb', { maxLength: 9 });
    expect(enc2.ids.filter((id) => id === 5).length).toBe(3);
    expect(enc2.ids.filter((id) => id === 6).length).toBe(3);
    expect(() => tok.encodePair('a', 'b', { maxLength: 2 })).toThrow(/no room/);
  });

  it('masks for MLM: 80% [MASK], 10% random char, 10% unchanged; specials never chosen', () => {
    const ids = [CLS_ID, 5, 6, 7, 5, SEP_ID];
    // per character: (chosen?, action) and a third draw when a random character is picked
    const random = scripted([
      0.1, 0.5, // 'a' chosen → [MASK]
      0.9, 0.0, // 'b' not chosen
      0.05, 0.85, 0.99, // 'c' chosen → random char: floor(0.99 * 3) → third char 'c' (id 7)
      0.0, 0.95, // 'a' chosen → unchanged
    ]);
    const { inputIds, labels } = tok.maskForMlm(ids, { random });
    expect(inputIds).toEqual([CLS_ID, MASK_ID, 6, 7, 5, SEP_ID]);
    expect(labels).toEqual([IGNORE_INDEX, 5, IGNORE_INDEX, 7, 5, IGNORE_INDEX]);
  });
});

describe('sampling helpers', () => {
  it('softmaxWithTemperature matches hand-computed values', () => {
    const p1 = softmaxWithTemperature([1, 2, 3]);
    [0.0900305732, 0.2447284711, 0.6652409558].forEach((v, i) => expect(p1[i]).toBeCloseTo(v, 9));
    const p2 = softmaxWithTemperature([1, 2, 3], 2); // softmax([0.5, 1, 1.5])
    [0.1863237232, 0.3071958857, 0.5064803911].forEach((v, i) => expect(p2[i]).toBeCloseTo(v, 9));
    expect(Array.from(softmaxWithTemperature([1000, 1000, -Infinity]))).toEqual([0.5, 0.5, 0]);
    expect(Array.from(softmaxWithTemperature([0, 3, 3], 0))).toEqual([0, 1, 0]);
  });

  it('low temperature sharpens, high temperature flattens', () => {
    const logits = [0, 1, 2];
    expect(softmaxWithTemperature(logits, 0.1)[2]).toBeGreaterThan(0.9999);
    const flat = softmaxWithTemperature(logits, 100);
    expect(Math.max(...flat) - Math.min(...flat)).toBeLessThan(0.01);
  });

  it('topK keeps exactly k logits, lower index first among equals', () => {
    expect(Array.from(topK([1, 5, 3, 5, 2], 2))).toEqual([-Infinity, 5, -Infinity, 5, -Infinity]);
    expect(Array.from(topK([3, 1, 3, 3], 2))).toEqual([3, -Infinity, 3, -Infinity]);
    expect(Array.from(topK([1, 2], 5))).toEqual([1, 2]);
    expect(() => topK([1, 2], 0)).toThrow(/integer ≥ 1/);
  });

  it('topP keeps the shortest most-likely prefix reaching p', () => {
    const logits = [0.5, 0.3, 0.15, 0.05].map(Math.log);
    const kept = (p: number) => Array.from(topP(logits, p), (v) => v !== -Infinity);
    expect(kept(0.7)).toEqual([true, true, false, false]);
    expect(kept(0.5)).toEqual([true, false, false, false]);
    expect(kept(0.1)).toEqual([true, false, false, false]);
    expect(kept(0.96)).toEqual([true, true, true, true]);
    expect(kept(1)).toEqual([true, true, true, true]);
    expect(() => topP(logits, 0)).toThrow(/\(0, 1\]/);
  });

  it('sampleCategorical inverts the CDF of the probabilities', () => {
    const probs = [0.5, 0.3, 0.2];
    const at = (u: number) => sampleCategorical(probs, () => u);
    expect([at(0), at(0.49), at(0.5), at(0.79), at(0.81), at(0.999999)]).toEqual([0, 0, 1, 1, 2, 2]);
    expect(sampleCategorical([0, 0, 1, 0], () => 0)).toBe(2);
    expect(() => sampleCategorical(probs, () => 1)).toThrow(/\[0, 1\)/);
  });

  it('sample is greedy at temperature 0 and needs no random source then', () => {
    expect(sample([0.1, 2, -1, 2], { temperature: 0 })).toBe(1);
    expect(argmax([0.1, 2, -1, 2])).toBe(1);
  });

  it('sample with topK 1 always returns the argmax', () => {
    const random = seeded(7);
    for (let i = 0; i < 50; i++) expect(sample([0.3, 0.1, 0.9, 0.2], { topK: 1, random })).toBe(2);
  });

  it('sample only draws from the nucleus', () => {
    const logits = [0.5, 0.3, 0.15, 0.05].map(Math.log);
    const random = seeded(11);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(sample(logits, { topP: 0.7, random }));
    expect([...seen].sort()).toEqual([0, 1]);
  });

  it('sample frequencies follow softmax(logits / T)', () => {
    const logits = [1, 2, 0.5, -1];
    const expected = softmaxWithTemperature(logits, 1.5);
    const counts = [0, 0, 0, 0];
    const random = seeded(2024);
    const n = 20000;
    for (let i = 0; i < n; i++) counts[sample(logits, { temperature: 1.5, random })]!++;
    counts.forEach((c, i) => expect(Math.abs(c / n - expected[i]!)).toBeLessThan(0.015));
  });

  it('is reproducible with the same seeded source', () => {
    const draw = (seed: number) => {
      const random = seeded(seed);
      return Array.from({ length: 20 }, () => sample([0, 1, 2, 3], { temperature: 1, topK: 3, topP: 0.9, random }));
    };
    expect(draw(5)).toEqual(draw(5));
  });

  it('rejects bad logits and options with a message', () => {
    expect(() => sample([], { temperature: 0 })).toThrow(/empty/);
    expect(() => sample([0, NaN], { temperature: 0 })).toThrow(/logits\[1\] is NaN/);
    expect(() => sample([-Infinity, -Infinity], { temperature: 0 })).toThrow(/every logit is -Infinity/);
    expect(() => sample([0, 1])).toThrow(/pass a uniform source/);
    expect(() => sample([0, 1], { temperature: -1, random: Math.random })).toThrow(/temperature/);
  });

  it('accepts a Float32Array row', () => {
    const row = new Float32Array([0.5, 4, 1]);
    expect(sample(row, { temperature: 0 })).toBe(1);
    expect(softmaxWithTemperature(row).length).toBe(3);
  });
});
