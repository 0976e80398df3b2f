/** The shipped BERT on onnxruntime: fill in [MASK] tokens, with attention. */
import { text } from '../../engine/index.ts';
import type { AttentionMaps, OrtApi, Session } from './session.ts';
import { attentionOf, int64, run } from './session.ts';
import type { TokenProbability } from './gpt.ts';

type Gpt2Tokenizer = InstanceType<typeof text.Gpt2Tokenizer>;

export interface BertConfigJson {
  kind: 'bert';
  config: { vocabSize: number; maxLen: number; nLayer: number; nHead: number; nEmbd: number };
  tokenizer: { specialIds: Record<'[PAD]' | '[UNK]' | '[CLS]' | '[SEP]' | '[MASK]', number> };
}

export interface BertFill {
  ids: number[];
  /** Each position's text, [CLS]/[SEP]/[MASK] included. */
  tokens: string[];
  /** For each [MASK], its position and the top candidates. */
  masks: Array<{ position: number; candidates: TokenProbability[] }>;
  attention: AttentionMaps;
}

export const MASK = '[MASK]';

export class BertRunner {
  constructor(
    readonly ort: OrtApi,
    readonly session: Session,
    readonly tokenizer: Gpt2Tokenizer,
    readonly config: BertConfigJson,
  ) {}

  /**
   * [CLS] text [SEP] with each "[MASK]" as one mask token. A space before [MASK] belongs to the
   * hidden word (byte-level BPE words carry their leading space), so it is dropped from the text;
   * the sentence's first word gets the space it has in running text, as the model learned it
   * (without, a first "The" is cut into T, h, e).
   */
  encode(sentence: string): number[] {
    const sp = this.config.tokenizer.specialIds;
    const parts = sentence.split(/ ?\[MASK\]/);
    const ids = [sp['[CLS]']];
    parts.forEach((part, i) => {
      if (i > 0) ids.push(sp['[MASK]']);
      ids.push(...this.tokenizer.encode(part, { allowSpecial: false, addPrefixSpace: i === 0 }));
    });
    ids.push(sp['[SEP]']);
    const max = this.config.config.maxLen;
    if (ids.length > max) throw new Error(`BERT: the sentence is ${ids.length} tokens with [CLS] and [SEP]; the model reads at most ${max}`);
    return ids;
  }

  /** One forward pass: logits (T, V) and attention; no [MASK] needed. */
  async forward(sentence: string): Promise<{ ids: number[]; tokens: string[]; logits: Float32Array; attention: AttentionMaps }> {
    const ids = this.encode(sentence);
    const shape = [1, ids.length];
    const out = await run(this.session, {
      input_ids: int64(this.ort, ids, shape),
      attention_mask: int64(this.ort, ids.map(() => 1), shape),
    });
    const names = Object.fromEntries(Object.entries(this.config.tokenizer.specialIds).map(([n, i]) => [i, n]));
    const tokens = ids.map((id) => names[id] ?? this.tokenizer.decode([id]));
    return { ids, tokens, logits: out.logits!.data as Float32Array, attention: attentionOf(out.attention!) };
  }

  async fill(sentence: string, k = 5): Promise<BertFill> {
    const maskId = this.config.tokenizer.specialIds['[MASK]'];
    if (!this.encode(sentence).includes(maskId)) throw new Error('BERT: write [MASK] where a word should be filled in');
    const { ids, tokens, logits, attention } = await this.forward(sentence);
    const V = this.config.config.vocabSize;
    const specials = new Set(Object.values(this.config.tokenizer.specialIds));
    const masks = ids.flatMap((id, position) => {
      if (id !== maskId) return [];
      const row = Float64Array.from(logits.subarray(position * V, (position + 1) * V));
      for (const s of specials) row[s] = -Infinity; // a blank is a word, never a special token
      const probs = text.softmaxWithTemperature(row, 1);
      const order = Array.from(probs.keys()).sort((a, b) => probs[b]! - probs[a]!).slice(0, k);
      return [{ position, candidates: order.map((c) => ({ id: c, text: this.tokenizer.decode([c]), probability: probs[c]! })) }];
    });
    return { ids, tokens, masks, attention };
  }
}
