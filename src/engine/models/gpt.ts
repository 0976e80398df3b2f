// GPT: a decoder-only language model (pre-norm), matching scripts/fixtures/models.py's GPT
// name for name, so its PyTorch state_dict loads directly.
import type { Tensor } from '../tensor.ts';
import { noGrad } from '../autograd.ts';
import { tidy } from '../memory.ts';
import { arange, ones, tensor } from '../ops/creation.ts';
import { add } from '../ops/elementwise.ts';
import { select, triu } from '../ops/shape-ops.ts';
import { defaultGenerator } from '../random.ts';
import type { Generator } from '../random.ts';
import { sample } from '../text/sampling.ts';
import * as init from '../nn/init.ts';
import { Dropout, Embedding, LayerNorm, Linear } from '../nn/layers.ts';
import { KVCache } from '../nn/attention.ts';
import { Module, ModuleList } from '../nn/module.ts';
import { TransformerEncoderLayer, causalMask } from '../nn/transformer.ts';
import { checkIds } from './common.ts';

export interface GPTConfig {
  vocabSize: number;
  /** Longest context the model sees (size of the learned position table). */
  blockSize: number;
  nLayer: number;
  nHead: number;
  nEmbd: number;
  /** Dropout on embeddings, attention weights and residual branches (default 0). */
  dropout?: number;
  /** lm_head.weight IS tok_emb.weight (default true). */
  tieWeights?: boolean;
}

export interface GPTOutput {
  /** [B, T, V] */
  logits: Tensor;
  /** Per layer, the causal self-attention weights per head [B, H, T, T]. */
  attention: Tensor[];
}

export interface GenerateOptions {
  maxNewTokens: number;
  /** 0 = greedy; default 1. */
  temperature?: number;
  topK?: number;
  topP?: number;
  /** Random source for sampling (default: the engine's default generator). */
  generator?: Generator;
  /**
   * Keep each layer's keys and values between steps, so a new token costs one row of attention
   * (default true). Once the sequence outgrows blockSize every step recomputes the cropped
   * context, since each token's position, and so everything computed from it, moves.
   */
  useCache?: boolean;
}

/**
 * state_dict: tok_emb.weight [V, C], pos_emb.weight [blockSize, C],
 * blocks.{l}.<TransformerEncoderLayer names> (normFirst, gelu, ff = 4C), ln_f.{weight,bias},
 * lm_head.weight [V, C] (the same tensor as tok_emb.weight when tied).
 */
export class GPT extends Module {
  readonly config: Required<GPTConfig>;
  readonly tokEmb: Embedding;
  readonly posEmb: Embedding;
  readonly drop: Dropout;
  readonly blocks: ModuleList<TransformerEncoderLayer>;
  readonly lnF: LayerNorm;
  readonly lmHead: Linear;

  constructor(config: GPTConfig) {
    super();
    this.config = { dropout: 0, tieWeights: true, ...config };
    const { vocabSize: V, blockSize, nLayer, nHead, nEmbd: C, dropout } = this.config;
    this.tokEmb = this.registerModule('tok_emb', new Embedding(V, C));
    this.posEmb = this.registerModule('pos_emb', new Embedding(blockSize, C));
    for (const e of [this.tokEmb, this.posEmb]) init.normal_(e.weight, 0, 0.02);
    this.drop = this.registerModule('drop', new Dropout(dropout));
    this.blocks = this.registerModule('blocks', new ModuleList(Array.from({ length: nLayer }, () =>
      new TransformerEncoderLayer(C, nHead, { dimFeedforward: 4 * C, dropout, activation: 'gelu', batchFirst: true, normFirst: true }))));
    this.lnF = this.registerModule('ln_f', new LayerNorm(C));
    this.lmHead = this.registerModule('lm_head', new Linear(C, V, { bias: false }));
    if (this.config.tieWeights) {
      this.lmHead.weight.dispose();
      this.lmHead.weight = this.tokEmb.weight;
    }
  }

  /** idx [B, T] int32 (T ≤ blockSize) → logits [B, T, V]; with returnAttention also the weights. */
  forward(idx: Tensor, opts?: { returnAttention?: false }): Tensor;
  forward(idx: Tensor, opts: { returnAttention: true }): GPTOutput;
  forward(idx: Tensor, opts: { returnAttention?: boolean } = {}): Tensor | GPTOutput {
    checkIds('GPT', 'idx', idx, this.config.vocabSize);
    const T = idx.shape[1];
    if (T > this.config.blockSize) throw new Error(`GPT: sequence length ${T} exceeds blockSize ${this.config.blockSize}`);
    const want = opts.returnAttention === true;
    return tidy(() => {
      let x = this.drop.forward(add(this.tokEmb.forward(idx), this.posEmb.forward(arange(T)))); // (B, T, C)
      const mask = causalMask(T); // (T, T)
      const attention: Tensor[] = [];
      for (const block of this.blocks) {
        const r = block.forwardWithAttention(x, { srcMask: mask }, want); // (B, T, C)
        x = r.output;
        if (r.attention) attention.push(r.attention);
      }
      const logits = this.lmHead.forward(this.lnF.forward(x)); // (B, T, V)
      return want ? { logits, attention } : logits;
    });
  }

  /** An empty KV cache for forwardCached: one per layer. Dispose it when done. */
  createCache(): KVCache[] {
    return Array.from(this.blocks, () => new KVCache());
  }

  /**
   * Logits [B, T, V] for the T tokens idx [B, T] that follow the cache's positions, as forward()
   * would give them for the whole sequence; their keys and values are added to the cache.
   */
  forwardCached(idx: Tensor, cache: readonly KVCache[]): Tensor {
    checkIds('GPT', 'idx', idx, this.config.vocabSize);
    if (cache.length !== this.blocks.length) throw new Error(`GPT.forwardCached: the cache has ${cache.length} layers, the model ${this.blocks.length}; make it with createCache()`);
    const past = cache[0].length;
    const T = idx.shape[1];
    if (past + T > this.config.blockSize) throw new Error(`GPT: sequence length ${past + T} (${past} cached + ${T}) exceeds blockSize ${this.config.blockSize}`);
    return tidy(() => {
      let x = this.drop.forward(add(this.tokEmb.forward(idx), this.posEmb.forward(arange(past, past + T)))); // (B, T, C)
      // token i may see keys 0 … past + i
      const mask = T > 1 ? triu(ones([T, past + T], { dtype: 'bool' }), past + 1) : null;
      let l = 0;
      for (const block of this.blocks) x = block.forward(x, { srcMask: mask, cache: cache[l++] });
      return this.lmHead.forward(this.lnF.forward(x)); // (B, T, V)
    });
  }

  /**
   * Extend each row of idx [B, T] by maxNewTokens sampled tokens (the context is cropped to
   * the last blockSize tokens). Runs without recording a graph; call eval() first to turn
   * dropout off. Returns a new int32 tensor [B, T + maxNewTokens].
   */
  async generate(idx: Tensor, opts: GenerateOptions): Promise<Tensor> {
    checkIds('GPT.generate', 'idx', idx, this.config.vocabSize);
    const { maxNewTokens, temperature = 1, topK, topP } = opts;
    if (!Number.isInteger(maxNewTokens) || maxNewTokens < 0) throw new Error(`GPT.generate: maxNewTokens must be a non-negative integer, got ${maxNewTokens}`);
    const g = opts.generator ?? defaultGenerator;
    const random = (): number => g.random();
    const [B, T0] = idx.shape;
    const flat = await idx.data();
    const rows = Array.from({ length: B }, (_, b) => Array.from(flat.subarray(b * T0, (b + 1) * T0)));
    const V = this.config.vocabSize;
    const { blockSize } = this.config;
    const cache = opts.useCache === false ? null : this.createCache();
    try {
      for (let step = 0; step < maxNewTokens; step++) {
        const start = Math.max(0, rows[0].length - blockSize);
        // Past blockSize, positions shift each step: the cache no longer holds what is needed.
        if (cache && start > 0) for (const c of cache) c.reset();
        const from = cache ? Math.max(start, cache[0].length) : start;
        const T = rows[0].length - from;
        const last = noGrad(() => tidy(() => {
          const ctx = tensor(Int32Array.from(rows.flatMap((r) => r.slice(from))), { shape: [B, T], dtype: 'int32' });
          return select(cache ? this.forwardCached(ctx, cache) : this.forward(ctx), 1, T - 1); // (B, V)
        }));
        const logits = await last.data();
        last.dispose();
        for (let b = 0; b < B; b++) rows[b].push(sample(logits.subarray(b * V, (b + 1) * V), { temperature, topK, topP, random }));
      }
    } finally {
      if (cache) for (const c of cache) c.dispose();
    }
    return tensor(Int32Array.from(rows.flat()), { shape: [B, T0 + maxNewTokens], dtype: 'int32' });
  }
}
