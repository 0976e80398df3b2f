/** The shipped encoder–decoder on onnxruntime: greedy decoding with every attention map. */
import { text } from '../../engine/index.ts';
import type { AttentionMaps, OrtApi, Session } from './session.ts';
import { attentionOf, int64, logitsRow, run } from './session.ts';

type CharTokenizer = InstanceType<typeof text.CharTokenizer>;

export interface Seq2SeqConfigJson {
  kind: 'seq2seq';
  config: { vocabSize: number; maxLen: number; nLayer: number; nHead: number; nEmbd: number };
  tokenizer: { specialTokens: string[]; bos: number; eos: number; pad: number };
  outputLength: number;
}

export interface Seq2SeqResult {
  output: string;
  srcTokens: string[];
  /** Decoder inputs: [BOS] then each generated character. */
  tgtTokens: string[];
  /** Cross-attention of the final pass: (layers, heads, tgt, src). Row i is the step that produced output character i. */
  crossAttention: AttentionMaps;
  encoderAttention: AttentionMaps;
  decoderSelfAttention: AttentionMaps;
}

export class Seq2SeqRunner {
  constructor(
    readonly ort: OrtApi,
    readonly session: Session,
    readonly tokenizer: CharTokenizer,
    readonly config: Seq2SeqConfigJson,
  ) {}

  encode(source: string): number[] {
    const ids = this.tokenizer.encode(source);
    if (ids.length === 0) throw new Error('Seq2Seq: type a date first');
    if (ids.length > this.config.config.maxLen) throw new Error(`Seq2Seq: the input is ${ids.length} characters; the model reads at most ${this.config.config.maxLen}`);
    return ids;
  }

  /** Greedy decoding until [EOS] or `maxNew` characters. */
  async translate(source: string, maxNew = this.config.outputLength + 1): Promise<Seq2SeqResult> {
    const src = this.encode(source);
    const { bos, eos } = this.config.tokenizer;
    const tgt = [bos];
    const srcT = int64(this.ort, src, [1, src.length]);
    for (let step = 0; step < maxNew; step++) {
      const out = await run(this.session, { src_ids: srcT, tgt_ids: int64(this.ort, tgt, [1, tgt.length]) });
      const next = text.argmax(logitsRow(out.logits!, tgt.length - 1));
      if (next === eos) break;
      tgt.push(next);
    }
    // One more pass over the finished output gives each produced character's attention row.
    const last = await run(this.session, { src_ids: srcT, tgt_ids: int64(this.ort, tgt, [1, tgt.length]) });
    const show = (id: number): string => this.tokenizer.idToToken(id);
    return {
      output: this.tokenizer.decode(tgt.slice(1), { skipSpecial: true }),
      srcTokens: src.map(show),
      tgtTokens: tgt.map(show),
      crossAttention: attentionOf(last.cross_attention!),
      encoderAttention: attentionOf(last.encoder_attention!),
      decoderSelfAttention: attentionOf(last.decoder_self_attention!),
    };
  }
}
