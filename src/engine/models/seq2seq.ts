// Seq2Seq: a T5-shaped encoder–decoder with sinusoidal positions, matching
// scripts/fixtures/models.py's Seq2Seq.
import type { Tensor } from '../tensor.ts';
import { noGrad } from '../autograd.ts';
import { tidy } from '../memory.ts';
import { ones, tensor } from '../ops/creation.ts';
import { add, mul } from '../ops/elementwise.ts';
import { linear } from '../ops/linalg.ts';
import { argmax } from '../ops/reduce.ts';
import { select, slice, triu } from '../ops/shape-ops.ts';
import * as init from '../nn/init.ts';
import { KVCache } from '../nn/attention.ts';
import { Dropout, Embedding, LayerNorm } from '../nn/layers.ts';
import { Module, ModuleList } from '../nn/module.ts';
import { TransformerDecoderLayer, TransformerEncoderLayer, causalMask, sinusoidalPositionalEncoding } from '../nn/transformer.ts';
import { checkIds, checkPaddingMask } from './common.ts';

export interface Seq2SeqConfig {
  vocabSize: number;
  /** Longest source or target (rows of the positional table). */
  maxLen: number;
  /** Layers in the encoder and, separately, in the decoder. */
  nLayer: number;
  nHead: number;
  nEmbd: number;
  dropout?: number;
}

export interface Seq2SeqOutput {
  /** [B, T, V] */
  logits: Tensor;
  /** Per encoder layer, self-attention per head [B, H, S, S]. */
  encoderAttention: Tensor[];
  /** Per decoder layer, causal self-attention per head [B, H, T, T]. */
  decoderSelfAttention: Tensor[];
  /** Per decoder layer, attention over the source per head [B, H, T, S]. */
  crossAttention: Tensor[];
}

export interface Seq2SeqGenerateOptions {
  maxNewTokens: number;
  /** The decoder's first token. */
  startId: number;
  /** Stop a row once it emits this id (later positions repeat it). */
  endId?: number;
  srcKeyPaddingMask?: Tensor | null;
  /** Keep the decoder's self-attention keys and values between steps (default true; false recomputes the prefix). */
  useCache?: boolean;
}

/** One decoder layer's caches while generating: its self-attention's past keys and values, and its cross-attention's projected memory. */
export interface DecoderLayerCache {
  self: KVCache;
  memory: KVCache;
}

/**
 * state_dict: tok_emb.weight [V, C] (shared by encoder, decoder and output),
 * encoder_layers.{l}.<TransformerEncoderLayer names>, enc_norm.{weight,bias},
 * decoder_layers.{l}.<TransformerDecoderLayer names>, dec_norm.{weight,bias}
 * (all layers normFirst, relu, ff = 4C). The positional table `pe` is a non-persistent buffer.
 */
export class Seq2Seq extends Module {
  readonly config: Required<Seq2SeqConfig>;
  readonly tokEmb: Embedding;
  readonly drop: Dropout;
  readonly encoderLayers: ModuleList<TransformerEncoderLayer>;
  readonly encNorm: LayerNorm;
  readonly decoderLayers: ModuleList<TransformerDecoderLayer>;
  readonly decNorm: LayerNorm;

  constructor(config: Seq2SeqConfig) {
    super();
    this.config = { dropout: 0, ...config };
    const { vocabSize: V, maxLen, nLayer, nHead, nEmbd: C, dropout } = this.config;
    this.tokEmb = this.registerModule('tok_emb', new Embedding(V, C));
    init.normal_(this.tokEmb.weight, 0, C ** -0.5);
    this.registerBuffer('pe', sinusoidalPositionalEncoding(maxLen, C), { persistent: false });
    this.drop = this.registerModule('drop', new Dropout(dropout));
    const layerOpts = { dimFeedforward: 4 * C, dropout, activation: 'relu' as const, batchFirst: true, normFirst: true };
    this.encoderLayers = this.registerModule('encoder_layers', new ModuleList(Array.from({ length: nLayer }, () => new TransformerEncoderLayer(C, nHead, layerOpts))));
    this.encNorm = this.registerModule('enc_norm', new LayerNorm(C));
    this.decoderLayers = this.registerModule('decoder_layers', new ModuleList(Array.from({ length: nLayer }, () => new TransformerDecoderLayer(C, nHead, layerOpts))));
    this.decNorm = this.registerModule('dec_norm', new LayerNorm(C));
  }

  /** tok_emb(ids)·√C + pe[from : from + T], then dropout: [B, T] → [B, T, C]; `from` = positions before these. */
  embed(ids: Tensor, from = 0): Tensor {
    const T = ids.shape[1];
    if (from + T > this.config.maxLen) throw new Error(`Seq2Seq: sequence length ${from + T} exceeds maxLen ${this.config.maxLen}`);
    return tidy(() => this.drop.forward(add(mul(this.tokEmb.forward(ids), Math.sqrt(this.config.nEmbd)), slice(this.getBuffer('pe')!, 0, from, from + T))));
  }

  /** src [B, S] → memory [B, S, C]. */
  encode(src: Tensor, srcKeyPaddingMask: Tensor | null = null): Tensor {
    return this.encodeWithAttention(src, srcKeyPaddingMask, false).memory;
  }

  /** tgt [B, T], memory [B, S, C] → logits [B, T, V]. */
  decode(tgt: Tensor, memory: Tensor, memoryKeyPaddingMask: Tensor | null = null): Tensor {
    return this.decodeWithAttention(tgt, memory, memoryKeyPaddingMask, false).logits;
  }

  /** src [B, S], tgt [B, T] → logits [B, T, V]; with returnAttention also every attention map. */
  forward(src: Tensor, tgt: Tensor, opts?: { srcKeyPaddingMask?: Tensor | null; returnAttention?: false }): Tensor;
  forward(src: Tensor, tgt: Tensor, opts: { srcKeyPaddingMask?: Tensor | null; returnAttention: true }): Seq2SeqOutput;
  forward(src: Tensor, tgt: Tensor, opts: { srcKeyPaddingMask?: Tensor | null; returnAttention?: boolean } = {}): Tensor | Seq2SeqOutput {
    const want = opts.returnAttention === true;
    const kpm = opts.srcKeyPaddingMask ?? null;
    return tidy(() => {
      const enc = this.encodeWithAttention(src, kpm, want);
      const dec = this.decodeWithAttention(tgt, enc.memory, kpm, want);
      if (!want) return dec.logits;
      return { logits: dec.logits, encoderAttention: enc.attention, decoderSelfAttention: dec.selfAttention, crossAttention: dec.crossAttention };
    });
  }

  private encodeWithAttention(src: Tensor, kpm: Tensor | null, want: boolean): { memory: Tensor; attention: Tensor[] } {
    checkIds('Seq2Seq', 'src', src, this.config.vocabSize);
    if (kpm) checkPaddingMask('Seq2Seq', 'srcKeyPaddingMask', kpm, src);
    return tidy(() => {
      let x = this.embed(src); // (B, S, C)
      const attention: Tensor[] = [];
      for (const layer of this.encoderLayers) {
        const r = layer.forwardWithAttention(x, { srcKeyPaddingMask: kpm }, want);
        x = r.output;
        if (r.attention) attention.push(r.attention);
      }
      return { memory: this.encNorm.forward(x), attention }; // (B, S, C)
    });
  }

  private decodeWithAttention(tgt: Tensor, memory: Tensor, kpm: Tensor | null, want: boolean): { logits: Tensor; selfAttention: Tensor[]; crossAttention: Tensor[] } {
    checkIds('Seq2Seq', 'tgt', tgt, this.config.vocabSize);
    return tidy(() => {
      let y = this.embed(tgt); // (B, T, C)
      const mask = causalMask(tgt.shape[1]); // (T, T)
      const selfAttention: Tensor[] = [];
      const crossAttention: Tensor[] = [];
      for (const layer of this.decoderLayers) {
        const r = layer.forwardWithAttention(y, memory, { tgtMask: mask, memoryKeyPaddingMask: kpm }, want);
        y = r.output;
        if (r.selfAttention) selfAttention.push(r.selfAttention);
        if (r.crossAttention) crossAttention.push(r.crossAttention);
      }
      const logits = linear(this.decNorm.forward(y), this.tokEmb.weight); // (B, T, V)
      return { logits, selfAttention, crossAttention };
    });
  }

  /** Empty caches for decodeCached, one per decoder layer. Dispose them when done. */
  createCache(): DecoderLayerCache[] {
    return Array.from(this.decoderLayers, () => ({ self: new KVCache(), memory: new KVCache() }));
  }

  /**
   * Logits [B, T, V] for the T target tokens tgt [B, T] that follow the cache's positions, as
   * decode() would give them for the whole target; their keys and values are added to the cache.
   */
  decodeCached(tgt: Tensor, memory: Tensor, memoryKeyPaddingMask: Tensor | null, cache: readonly DecoderLayerCache[]): Tensor {
    checkIds('Seq2Seq', 'tgt', tgt, this.config.vocabSize);
    if (cache.length !== this.decoderLayers.length) throw new Error(`Seq2Seq.decodeCached: the cache has ${cache.length} layers, the decoder ${this.decoderLayers.length}; make it with createCache()`);
    const past = cache[0].self.length;
    const T = tgt.shape[1];
    return tidy(() => {
      let y = this.embed(tgt, past); // (B, T, C)
      // token i may see the cached positions and itself: keys 0 … past + i
      const mask = T > 1 ? triu(ones([T, past + T], { dtype: 'bool' }), past + 1) : null;
      let l = 0;
      for (const layer of this.decoderLayers) {
        const c = cache[l++];
        y = layer.forward(y, memory, { tgtMask: mask, memoryKeyPaddingMask, cache: c.self, memoryCache: c.memory });
      }
      return linear(this.decNorm.forward(y), this.tokEmb.weight); // (B, T, V)
    });
  }

  /**
   * Greedy decoding: encode src once, then repeatedly append the most likely next token,
   * starting from startId. Returns int32 [B, 1 + steps] (starting with startId); stops early
   * when every row has produced endId. Runs without a graph; call eval() first.
   */
  async generate(src: Tensor, opts: Seq2SeqGenerateOptions): Promise<Tensor> {
    const { maxNewTokens, startId, endId } = opts;
    if (!Number.isInteger(maxNewTokens) || maxNewTokens < 0) throw new Error(`Seq2Seq.generate: maxNewTokens must be a non-negative integer, got ${maxNewTokens}`);
    if (maxNewTokens + 1 > this.config.maxLen) throw new Error(`Seq2Seq.generate: 1 + maxNewTokens (${maxNewTokens + 1}) exceeds maxLen ${this.config.maxLen}`);
    const B = src.shape[0];
    const kpm = opts.srcKeyPaddingMask ?? null;
    const memory = noGrad(() => this.encode(src, kpm));
    const cache = opts.useCache === false ? null : this.createCache();
    const rows = Array.from({ length: B }, () => [startId]);
    const done = new Array<boolean>(B).fill(false);
    try {
      for (let step = 0; step < maxNewTokens && !done.every(Boolean); step++) {
        const T = rows[0].length;
        // with the cache only the newest token goes through the decoder
        const from = cache ? T - 1 : 0;
        const next = noGrad(() => tidy(() => {
          const tgt = tensor(Int32Array.from(rows.flatMap((r) => r.slice(from))), { shape: [B, T - from], dtype: 'int32' });
          const logits = cache ? this.decodeCached(tgt, memory, kpm, cache) : this.decode(tgt, memory, kpm);
          return argmax(select(logits, 1, T - from - 1), -1); // (B,)
        }));
        const ids = await next.data();
        next.dispose();
        for (let b = 0; b < B; b++) {
          const id = done[b] ? endId! : ids[b];
          rows[b].push(id);
          if (endId !== undefined && id === endId) done[b] = true;
        }
      }
    } finally {
      memory.dispose();
      if (cache) for (const c of cache) { c.self.dispose(); c.memory.dispose(); }
    }
    return tensor(Int32Array.from(rows.flat()), { shape: [B, rows[0].length], dtype: 'int32' });
  }
}
