// BERT: an encoder-only masked language model (post-norm), matching scripts/fixtures/models.py.
import type { Tensor } from '../tensor.ts';
import { tidy } from '../memory.ts';
import { arange, zeros } from '../ops/creation.ts';
import { add, gelu } from '../ops/elementwise.ts';
import { linear } from '../ops/linalg.ts';
import * as init from '../nn/init.ts';
import { Dropout, Embedding, LayerNorm, Linear } from '../nn/layers.ts';
import { Module, ModuleList } from '../nn/module.ts';
import { TransformerEncoderLayer } from '../nn/transformer.ts';
import { checkIds, checkPaddingMask } from './common.ts';

export interface BERTConfig {
  vocabSize: number;
  /** Longest input (size of the learned position table). */
  maxLen: number;
  nLayer: number;
  nHead: number;
  nEmbd: number;
  /** Number of segment ids (sentence A / B); default 2. */
  typeVocabSize?: number;
  dropout?: number;
}

export interface BERTForwardOptions {
  /** [B, T] int32 segment ids (default all 0). */
  segmentIds?: Tensor | null;
  /** [B, T] bool, true = padding. */
  keyPaddingMask?: Tensor | null;
  returnAttention?: boolean;
}

export interface BERTOutput {
  /** [B, T, V] masked-LM logits. */
  logits: Tensor;
  /** Per layer, self-attention weights per head [B, H, T, T]. */
  attention: Tensor[];
}

/**
 * state_dict: mlm_bias [V], tok_emb.weight [V, C], pos_emb.weight [maxLen, C],
 * seg_emb.weight [typeVocabSize, C], emb_norm.{weight,bias},
 * layers.{l}.<TransformerEncoderLayer names> (post-norm, gelu, ff = 4C),
 * mlm_dense.{weight,bias} [C, C], mlm_norm.{weight,bias}. The output layer reuses tok_emb.weight.
 */
export class BERT extends Module {
  readonly config: Required<BERTConfig>;
  readonly tokEmb: Embedding;
  readonly posEmb: Embedding;
  readonly segEmb: Embedding;
  readonly embNorm: LayerNorm;
  readonly drop: Dropout;
  readonly layers: ModuleList<TransformerEncoderLayer>;
  readonly mlmDense: Linear;
  readonly mlmNorm: LayerNorm;

  constructor(config: BERTConfig) {
    super();
    this.config = { typeVocabSize: 2, dropout: 0, ...config };
    const { vocabSize: V, maxLen, nLayer, nHead, nEmbd: C, typeVocabSize, dropout } = this.config;
    this.tokEmb = this.registerModule('tok_emb', new Embedding(V, C));
    this.posEmb = this.registerModule('pos_emb', new Embedding(maxLen, C));
    this.segEmb = this.registerModule('seg_emb', new Embedding(typeVocabSize, C));
    for (const e of [this.tokEmb, this.posEmb, this.segEmb]) init.normal_(e.weight, 0, 0.02);
    this.embNorm = this.registerModule('emb_norm', new LayerNorm(C));
    this.drop = this.registerModule('drop', new Dropout(dropout));
    this.layers = this.registerModule('layers', new ModuleList(Array.from({ length: nLayer }, () =>
      new TransformerEncoderLayer(C, nHead, { dimFeedforward: 4 * C, dropout, activation: 'gelu', batchFirst: true, normFirst: false }))));
    this.mlmDense = this.registerModule('mlm_dense', new Linear(C, C));
    this.mlmNorm = this.registerModule('mlm_norm', new LayerNorm(C));
    this.registerParameter('mlm_bias', zeros([V]));
  }

  get mlmBias(): Tensor { return this.getParameter('mlm_bias')!; }

  /** idx [B, T] int32 → masked-LM logits [B, T, V]; with returnAttention also the weights. */
  forward(idx: Tensor, opts?: Omit<BERTForwardOptions, 'returnAttention'> & { returnAttention?: false }): Tensor;
  forward(idx: Tensor, opts: BERTForwardOptions & { returnAttention: true }): BERTOutput;
  forward(idx: Tensor, opts: BERTForwardOptions = {}): Tensor | BERTOutput {
    const { vocabSize, maxLen, typeVocabSize } = this.config;
    checkIds('BERT', 'idx', idx, vocabSize);
    const T = idx.shape[1];
    if (T > maxLen) throw new Error(`BERT: sequence length ${T} exceeds maxLen ${maxLen}`);
    if (opts.segmentIds) checkIds('BERT', 'segmentIds', opts.segmentIds, typeVocabSize);
    if (opts.keyPaddingMask) checkPaddingMask('BERT', 'keyPaddingMask', opts.keyPaddingMask, idx);
    const want = opts.returnAttention === true;
    return tidy(() => {
      const seg = opts.segmentIds ?? zeros(idx.shape, { dtype: 'int32' });
      let x = add(add(this.tokEmb.forward(idx), this.posEmb.forward(arange(T))), this.segEmb.forward(seg)); // (B, T, C)
      x = this.drop.forward(this.embNorm.forward(x));
      const attention: Tensor[] = [];
      for (const layer of this.layers) {
        const r = layer.forwardWithAttention(x, { srcKeyPaddingMask: opts.keyPaddingMask }, want); // (B, T, C)
        x = r.output;
        if (r.attention) attention.push(r.attention);
      }
      const h = this.mlmNorm.forward(gelu(this.mlmDense.forward(x))); // (B, T, C)
      const logits = linear(h, this.tokEmb.weight, this.mlmBias); // (B, T, V)
      return want ? { logits, attention } : logits;
    });
  }
}
