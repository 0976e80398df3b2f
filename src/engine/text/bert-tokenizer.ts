/**
 * BERT-style inputs on a character vocabulary: [PAD] [UNK] [CLS] [SEP] [MASK] at fixed ids
 * 0..4, then characters. Enough to build real masked-LM and sentence-pair batches for the
 * book's small models (a WordPiece vocabulary would plug in behind the same methods).
 */
import { CharTokenizer } from './char-tokenizer.ts';

export const BERT_SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
export const PAD_ID = 0;
export const UNK_ID = 1;
export const CLS_ID = 2;
export const SEP_ID = 3;
export const MASK_ID = 4;
/** Label for positions a masked-LM loss ignores (torch's cross_entropy default ignore_index). */
export const IGNORE_INDEX = -100;

export interface BertEncoding {
  ids: number[];
  /** 0 for [CLS] a [SEP] (and padding), 1 for b [SEP]. */
  segmentIds: number[];
  /** 1 for real tokens, 0 for [PAD]. torch's key_padding_mask is its negation (True = padding). */
  attentionMask: number[];
}

export interface EncodePairOptions {
  /** Truncate a and b (longest first) so the whole sequence fits. */
  maxLength?: number;
  /** Append [PAD] up to this length. */
  padTo?: number;
}

export interface MlmMaskOptions {
  /** Uniform source in [0, 1), e.g. the engine Generator's `random`. */
  random: () => number;
  /** Share of non-special positions chosen for prediction (default 0.15). */
  maskProbability?: number;
}

export class BertCharTokenizer {
  readonly chars: CharTokenizer;

  /** Characters get ids 5.. in the given order. */
  constructor(alphabet: Iterable<string> | string) {
    this.chars = new CharTokenizer(alphabet, {
      specialTokens: BERT_SPECIAL_TOKENS,
      unknown: { replaceWith: '[UNK]' },
    });
  }

  static fromCorpus(corpus: string | Iterable<string>): BertCharTokenizer {
    const plain = CharTokenizer.fromCorpus(corpus);
    return new BertCharTokenizer(plain.tokens);
  }

  get vocabSize(): number {
    return this.chars.vocabSize;
  }

  /** Characters only (no [CLS]/[SEP]); unknown characters → [UNK]; "[MASK]" in text → [MASK]. */
  encode(text: string): number[] {
    return this.chars.encode(text);
  }

  decode(ids: ArrayLike<number>, options: { skipSpecial?: boolean } = {}): string {
    return this.chars.decode(ids, options);
  }

  /** [CLS] a [SEP], or [CLS] a [SEP] b [SEP] with segment ids 0…0 1…1. */
  encodePair(a: string, b?: string, options: EncodePairOptions = {}): BertEncoding {
    let first = this.encode(a);
    let second = b === undefined ? null : this.encode(b);
    const specials = second === null ? 2 : 3;
    if (options.maxLength !== undefined) {
      const budget = options.maxLength - specials;
      if (budget < 0) {
        throw new Error(`encodePair: maxLength ${options.maxLength} leaves no room for the ${specials} special tokens`);
      }
      // Longest-first truncation: keep both texts represented as long as possible.
      while (first.length + (second?.length ?? 0) > budget) {
        if (second !== null && second.length > first.length) second = second.slice(0, -1);
        else first = first.slice(0, -1);
      }
    }
    const ids = [CLS_ID, ...first, SEP_ID];
    const segmentIds = new Array<number>(ids.length).fill(0);
    if (second !== null) {
      ids.push(...second, SEP_ID);
      while (segmentIds.length < ids.length) segmentIds.push(1);
    }
    const attentionMask = new Array<number>(ids.length).fill(1);
    if (options.padTo !== undefined) {
      if (options.padTo < ids.length) {
        throw new Error(`encodePair: padTo ${options.padTo} is shorter than the ${ids.length} tokens; set maxLength to truncate`);
      }
      while (ids.length < options.padTo) {
        ids.push(PAD_ID);
        segmentIds.push(0);
        attentionMask.push(0);
      }
    }
    return { ids, segmentIds, attentionMask };
  }

  /**
   * BERT's masked-LM corruption: each non-special position is chosen with probability
   * `maskProbability`; a chosen token becomes [MASK] 80% of the time, a random character
   * 10%, stays itself 10%. `labels` holds the original id at chosen positions and
   * IGNORE_INDEX elsewhere. Consumes exactly two random numbers per non-special position
   * (plus one more when a random character is drawn), so a seeded source replays exactly.
   */
  maskForMlm(ids: ArrayLike<number>, options: MlmMaskOptions): { inputIds: number[]; labels: number[] } {
    const p = options.maskProbability ?? 0.15;
    if (!(p >= 0 && p <= 1)) throw new Error(`maskForMlm: maskProbability must be in [0, 1], got ${p}`);
    const firstChar = BERT_SPECIAL_TOKENS.length;
    const charCount = this.vocabSize - firstChar;
    const inputIds: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (this.chars.isSpecialId(id)) {
        inputIds.push(id);
        labels.push(IGNORE_INDEX);
        continue;
      }
      const chosen = options.random() < p;
      const action = options.random();
      if (!chosen) {
        inputIds.push(id);
        labels.push(IGNORE_INDEX);
        continue;
      }
      labels.push(id);
      if (action < 0.8 || charCount === 0) inputIds.push(MASK_ID);
      else if (action < 0.9) inputIds.push(firstChar + Math.min(charCount - 1, Math.floor(options.random() * charCount)));
      else inputIds.push(id);
    }
    return { inputIds, labels };
  }
}
