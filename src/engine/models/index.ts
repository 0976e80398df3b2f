// Whole models of the book, name-for-name with scripts/fixtures/models.py (PyTorch weights load directly).
export { GPT } from './gpt.ts';
export type { GPTConfig, GPTOutput, GenerateOptions } from './gpt.ts';
export { BERT } from './bert.ts';
export type { BERTConfig, BERTForwardOptions, BERTOutput } from './bert.ts';
export { Seq2Seq } from './seq2seq.ts';
export type { DecoderLayerCache, Seq2SeqConfig, Seq2SeqOutput, Seq2SeqGenerateOptions } from './seq2seq.ts';
