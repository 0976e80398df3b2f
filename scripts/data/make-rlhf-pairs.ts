// Writes public/data/rlhf-pairs.json: the preference pairs of the RLHF chapter. For each prompt
// (the first PROMPT_TOKENS tokens of a sentence from public/data/sotu-sample.json, cut at a word
// boundary), the shipped gpt-sotu samples two continuations of CONTINUATION_TOKENS tokens at
// temperature TEMPERATURE with the engine's seeded generator. The reader (or the chapter's
// built-in labeller) picks the better one of each pair in the page; the labeller's word lists are
// stored here too, with its verdict on every pair, so the widget and the cells apply one rule.
//
// The built-in labeller: a continuation scores +1 for each word of POSITIVE, −1 for each word of
// NEGATIVE, −1 for each word that never occurs in the book's State of the Union sample (an
// invented word) and −1 for each word that repeats an earlier one; the higher score wins, and
// equal scores are no preference ('-').
//
// Usage: source scripts/setup.sh && node --experimental-transform-types scripts/data/make-rlhf-pairs.ts
import { writeFileSync } from 'node:fs';
import { Generator, noGrad, tensor, type Tensor } from '../../src/engine/index.ts';
import { setCellHost, datasets } from '../../src/runtime/cell-api.ts';
import { models } from '../../src/runtime/cell-models.ts';
import { readShippedFromDisk } from '../../src/runtime/read-shipped-node.ts';

const PAIRS = 256;
const PROMPT_TOKENS = 5;
const CONTINUATION_TOKENS = 10;
const TEMPERATURE = 0.8;
const SEED = 12;
// The built-in labeller's lexicon: whole words, lower case (see the chapter for the rule).
const POSITIVE = ['peace', 'prosperity', 'prosperous', 'freedom', 'free', 'hope', 'progress', 'success', 'justice',
  'opportunity', 'growth', 'strong', 'great', 'good', 'better', 'best', 'secure', 'security', 'happy', 'happiness',
  'liberty', 'friendly', 'friendship', 'honor', 'confidence', 'welfare', 'improvement', 'benefit', 'benefits',
  'blessing', 'blessings', 'harmony', 'safety', 'grateful', 'gratitude'];
const NEGATIVE = ['war', 'wars', 'debt', 'danger', 'threat', 'problems', 'difficult', 'crisis', 'depression', 'enemy',
  'enemies', 'poverty', 'fear', 'violence', 'crime', 'deficit', 'unemployment', 'terror', 'loss', 'evil', 'failure',
  'hostile', 'hostilities', 'distress', 'suffering'];

setCellHost({ plot: () => undefined, progress: () => undefined, readShipped: readShippedFromDisk });
const { model: gpt, tokenizer } = await models.load('gpt-sotu');
const speeches = await datasets.stateOfTheUnion();

// Prompts: a sentence's first words, as many as make exactly PROMPT_TOKENS tokens.
const prompts: number[][] = [];
const seen = new Set<string>();
for (const s of speeches) {
  for (const sentence of s.text.split(/(?<=[.!?])\s+/)) {
    const words = sentence.split(' ');
    for (let k = 1; k < words.length; k++) {
      const ids = tokenizer.encode(words.slice(0, k).join(' '));
      if (ids.length > PROMPT_TOKENS) break;
      if (ids.length === PROMPT_TOKENS) {
        const key = ids.join(',');
        if (!seen.has(key)) prompts.push(ids);
        seen.add(key);
        break;
      }
    }
  }
}
// A seeded shuffle, then the first PAIRS prompts.
const gen = new Generator(SEED);
for (let i = prompts.length - 1; i > 0; i--) {
  const j = Math.floor(gen.random() * (i + 1));
  [prompts[i], prompts[j]] = [prompts[j]!, prompts[i]!];
}
const chosen = prompts.slice(0, PAIRS);

async function sample(batch: number[][]): Promise<number[][]> {
  const idx = tensor(Int32Array.from(batch.flat()), { shape: [batch.length, PROMPT_TOKENS], dtype: 'int32' });
  const out: Tensor = await noGrad(() => gpt.generate(idx, { maxNewTokens: CONTINUATION_TOKENS, temperature: TEMPERATURE, generator: gen }));
  const rows = (await out.array()) as number[][];
  return rows.map((r) => r.slice(PROMPT_TOKENS));
}
const a = await sample(chosen);
const b = await sample(chosen);
const pairs = chosen.map((p, i) => ({ prompt: p, a: a[i], b: b[i] }));
const text = (ids: number[]) => tokenizer.decode(ids);
const dictionary = new Set(speeches.flatMap((s) => s.text.toLowerCase().match(/[a-z]+/g) ?? []));
function score(s: string): number {
  const words: string[] = s.toLowerCase().match(/[a-z]+/g) ?? [];
  return words.filter((w) => POSITIVE.includes(w)).length - words.filter((w) => NEGATIVE.includes(w)).length
    - words.filter((w) => !dictionary.has(w)).length - words.filter((w, i) => words.indexOf(w) < i).length;
}
function verdict(a: string, b: string): 'a' | 'b' | '-' {
  const d = score(a) - score(b);
  return d > 0 ? 'a' : d < 0 ? 'b' : '-';
}
const out = {
  source: 'gpt-sotu samples (scripts/data/make-rlhf-pairs.ts); prompts from public/data/sotu-sample.json (public domain)',
  model: 'gpt-sotu',
  seed: SEED,
  temperature: TEMPERATURE,
  promptTokens: PROMPT_TOKENS,
  continuationTokens: CONTINUATION_TOKENS,
  labeller: { positive: POSITIVE, negative: NEGATIVE },
  pairs: pairs.map((p) => ({ prompt: text(p.prompt), a: text(p.a!), b: text(p.b!), builtin: verdict(text(p.a!), text(p.b!)), ids: { prompt: p.prompt, a: p.a, b: p.b } })),
};
writeFileSync(new URL('../../public/data/rlhf-pairs.json', import.meta.url), JSON.stringify(out) + '\n');
console.log(`${pairs.length} pairs from ${prompts.length} prompts; the built-in labeller prefers a in ${out.pairs.filter((p) => p.builtin === 'a').length}, b in ${out.pairs.filter((p) => p.builtin === 'b').length}, neither in ${out.pairs.filter((p) => p.builtin === '-').length}`);
for (const p of out.pairs.slice(0, 6)) console.log(JSON.stringify(p.prompt), '→', JSON.stringify(p.a), '|', JSON.stringify(p.b));
