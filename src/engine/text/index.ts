/** Text utilities for the engine: tokenizers and next-token sampling. No DOM, no Node APIs. */
export { CharTokenizer, type CharTokenizerOptions, type UnknownCharPolicy } from './char-tokenizer.ts';
export {
  BertCharTokenizer,
  BERT_SPECIAL_TOKENS,
  PAD_ID,
  UNK_ID,
  CLS_ID,
  SEP_ID,
  MASK_ID,
  IGNORE_INDEX,
  type BertEncoding,
  type EncodePairOptions,
  type MlmMaskOptions,
} from './bert-tokenizer.ts';
export {
  Gpt2Tokenizer,
  loadGpt2Tokenizer,
  gpt2Pretokenize,
  parseMerges,
  GPT2_PRETOKENIZE_PATTERN,
  GPT2_END_OF_TEXT,
  type Gpt2TokenizerOptions,
  type Gpt2EncodeOptions,
} from './gpt2-tokenizer.ts';
export { BYTE_TO_CHAR, CHAR_TO_BYTE, bytesToUnicode, unicodeToBytes } from './byte-unicode.ts';
export {
  argmax,
  softmaxWithTemperature,
  topK,
  topP,
  sample,
  sampleCategorical,
  type SampleOptions,
} from './sampling.ts';
