// The shipped GPT's prompts: its 2048-token vocabulary was learned from running text, where a
// sentence's first word follows a space (' The'), so a prompt's first word is encoded with that
// space too, and common words come out whole instead of letter by letter (T, h, e).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { text } from '../../src/engine/index.ts';
import type { BertRunner } from '../../src/runtime/models/bert.ts';
import type { GptRunner } from '../../src/runtime/models/gpt.ts';
import { hasModel, loadFromDisk, MODELS_DIR } from './helpers.ts';

const WORDS = ['The', 'We', 'It', 'This', 'In', 'Our', 'I', 'To', 'Congress'];

function shippedTokenizer(): InstanceType<typeof text.Gpt2Tokenizer> {
  const dir = `${MODELS_DIR}/gpt-sotu`;
  return text.Gpt2Tokenizer.fromFiles(readFileSync(`${dir}/encoder.json`, 'utf8'), readFileSync(`${dir}/vocab.bpe`, 'utf8'));
}

describe.runIf(hasModel('gpt-sotu'))('gpt-sotu prompts', () => {
  it('the cause: the vocabulary has " The" but spells a bare "The" at the start of a text letter by letter', () => {
    const tok = shippedTokenizer();
    expect(tok.tokenStrings(tok.encode('The'))).toEqual(['T', 'h', 'e']);
    expect(tok.tokenStrings(tok.encode(' The'))).toEqual([' The']);
    expect(tok.tokenStrings(tok.encode('The', { addPrefixSpace: true }))).toEqual([' The']);
    // text that already starts with whitespace is left as it is
    expect(tok.encode(' The', { addPrefixSpace: true })).toEqual(tok.encode(' The'));
    expect(tok.encode('', { addPrefixSpace: true })).toEqual([]);
  });

  it('the widgets\' runner encodes a prompt\'s first word whole, as in running text', async () => {
    const runner = (await loadFromDisk('gpt-sotu')).runner as GptRunner;
    for (const w of WORDS) {
      const ids = runner.encode(`${w} must`);
      expect(runner.tokenizer.tokenStrings(ids), w).toEqual([` ${w}`, ' must']);
    }
    const ids = runner.encode('To date, the cleverest thinker of all time was');
    expect(runner.tokenizer.tokenStrings(ids)[0]).toBe(' To');
  });
});

// bert-sotu shares the vocabulary, so its fill-in widget had the same defect ("The [MASK] of the
// United States" came out as T, h, e and filled with "a", "as", "y").
describe.runIf(hasModel('bert-sotu'))('bert-sotu sentences', () => {
  it('the fill-in runner reads the first word whole and fills the blank with a word', async () => {
    const runner = (await loadFromDisk('bert-sotu')).runner as BertRunner;
    for (const w of WORDS) expect((await runner.forward(`${w} must [MASK] it.`)).tokens.slice(0, 3), w).toEqual(['[CLS]', ` ${w}`, ' must']);
    const fill = await runner.fill('The [MASK] of the United States');
    expect(fill.masks[0]!.candidates[0]!.text).toBe(' treaty');
  });
});
