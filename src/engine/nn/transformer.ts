// Transformer encoder and decoder layers with torch's parameter names (self_attn,
// multihead_attn, linear1, linear2, norm1..3) and both residual orders:
//   normFirst  x = x + sa(norm1(x)); [x = x + ca(norm2(x), mem)]; x = x + ff(normLast(x))
//   post-norm  x = norm1(x + sa(x)); [x = norm2(x + ca(x, mem))]; x = normLast(x + ff(x))
// with ff(x) = linear2(dropout(act(linear1(x)))). Also the positional-encoding table and masks.
import type { Tensor } from '../tensor.ts';
import { tidy } from '../memory.ts';
import { ones, tensor } from '../ops/creation.ts';
import { add, gelu, relu, where } from '../ops/elementwise.ts';
import { triu } from '../ops/shape-ops.ts';
import { Dropout, LayerNorm, Linear } from './layers.ts';
import { MultiheadAttention } from './attention.ts';
import type { KVCache } from './attention.ts';
import { Module } from './module.ts';

export type Activation = 'relu' | 'gelu' | ((x: Tensor) => Tensor);

export interface TransformerLayerOptions {
  /** Hidden size of the feed-forward block (default 2048, like torch). */
  dimFeedforward?: number;
  /** Dropout on attention weights, residual branches and the feed-forward hidden (default 0.1). */
  dropout?: number;
  /** 'relu' (default), 'gelu' (exact, erf) or a function. */
  activation?: Activation;
  layerNormEps?: number;
  /** Tensors are [batch, seq, dModel] instead of [seq, batch, dModel] (default false). */
  batchFirst?: boolean;
  /** Pre-norm (layer norm before each sublayer) instead of post-norm (default false). */
  normFirst?: boolean;
}

function activationFn(a: Activation | undefined): (x: Tensor) => Tensor {
  if (a === undefined || a === 'relu') return relu;
  if (a === 'gelu') return (x) => gelu(x);
  if (typeof a === 'function') return a;
  throw new Error(`Transformer layer: activation must be 'relu', 'gelu' or a function, got '${String(a)}'`);
}

export interface EncoderLayerForwardOptions {
  /** [T, T] or [B·nhead, T, T]: bool true = may NOT attend, or float added to scores. */
  srcMask?: Tensor | null;
  /** [B, T] bool, true = padding. */
  srcKeyPaddingMask?: Tensor | null;
  /** The self-attention's keys and values so far (see KVCache); srcMask is then [T, cache + T]. */
  cache?: KVCache | null;
}

/** Self-attention + feed-forward block (torch.nn.TransformerEncoderLayer). */
export class TransformerEncoderLayer extends Module {
  readonly selfAttn: MultiheadAttention;
  readonly linear1: Linear;
  readonly dropout: Dropout;
  readonly linear2: Linear;
  readonly normFirst: boolean;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;
  readonly activation: (x: Tensor) => Tensor;
  private readonly args: [number, number, TransformerLayerOptions];

  constructor(dModel: number, nhead: number, opts: TransformerLayerOptions = {}) {
    super();
    this.args = [dModel, nhead, { ...opts }];
    const ff = opts.dimFeedforward ?? 2048;
    const p = opts.dropout ?? 0.1;
    const eps = opts.layerNormEps ?? 1e-5;
    this.selfAttn = this.registerModule('self_attn', new MultiheadAttention(dModel, nhead, { dropout: p, batchFirst: opts.batchFirst }));
    this.linear1 = this.registerModule('linear1', new Linear(dModel, ff));
    this.dropout = this.registerModule('dropout', new Dropout(p));
    this.linear2 = this.registerModule('linear2', new Linear(ff, dModel));
    this.normFirst = opts.normFirst ?? false;
    this.norm1 = this.registerModule('norm1', new LayerNorm(dModel, { eps }));
    this.norm2 = this.registerModule('norm2', new LayerNorm(dModel, { eps }));
    this.dropout1 = this.registerModule('dropout1', new Dropout(p));
    this.dropout2 = this.registerModule('dropout2', new Dropout(p));
    this.activation = activationFn(opts.activation);
  }

  /** A new layer with the same options and a copy of the weights (torch's deepcopy). */
  clone(): TransformerEncoderLayer {
    const c = new TransformerEncoderLayer(...this.args);
    c.loadStateDict(this.stateDict());
    return c.train(this.training);
  }

  /** src [T, B, d] ([B, T, d] with batchFirst) → same shape. */
  forward(src: Tensor, opts: EncoderLayerForwardOptions = {}): Tensor {
    return this.forwardWithAttention(src, opts, false).output;
  }

  /** forward() that also returns the self-attention weights per head [B, H, T, T]. */
  forwardWithAttention(src: Tensor, opts: EncoderLayerForwardOptions = {}, needWeights = true): { output: Tensor; attention: Tensor | null } {
    return tidy(() => {
      let attention: Tensor | null = null;
      const sa = (x: Tensor): Tensor => {
        const [out, w] = this.selfAttn.attend(x, x, x, { attnMask: opts.srcMask, keyPaddingMask: opts.srcKeyPaddingMask, cache: opts.cache }, needWeights);
        attention = w;
        return this.dropout1.forward(out);
      };
      const ffBlock = (x: Tensor): Tensor =>
        this.dropout2.forward(this.linear2.forward(this.dropout.forward(this.activation(this.linear1.forward(x)))));
      let x = src;
      if (this.normFirst) {
        x = add(x, sa(this.norm1.forward(x)));
        x = add(x, ffBlock(this.norm2.forward(x)));
      } else {
        x = this.norm1.forward(add(x, sa(x)));
        x = this.norm2.forward(add(x, ffBlock(x)));
      }
      return { output: x, attention: attention as Tensor | null };
    });
  }
}

export interface DecoderLayerForwardOptions {
  /** [T, T] or [B·nhead, T, T]: bool true = may NOT attend (e.g. causalMask(T)), or float. */
  tgtMask?: Tensor | null;
  /** [T, S] or [B·nhead, T, S] for the cross-attention. */
  memoryMask?: Tensor | null;
  /** [B, T] bool, true = padding. */
  tgtKeyPaddingMask?: Tensor | null;
  /** [B, S] bool, true = padding in the memory (the encoder's source). */
  memoryKeyPaddingMask?: Tensor | null;
  /** The self-attention's keys and values so far (see KVCache); tgtMask is then [T, cache + T]. */
  cache?: KVCache | null;
  /** The cross-attention's projected memory, kept from the first call (pass the same memory each time). */
  memoryCache?: KVCache | null;
}

/** Self-attention + cross-attention over `memory` + feed-forward (torch.nn.TransformerDecoderLayer). */
export class TransformerDecoderLayer extends Module {
  readonly selfAttn: MultiheadAttention;
  readonly multiheadAttn: MultiheadAttention;
  readonly linear1: Linear;
  readonly dropout: Dropout;
  readonly linear2: Linear;
  readonly normFirst: boolean;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly norm3: LayerNorm;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;
  readonly dropout3: Dropout;
  readonly activation: (x: Tensor) => Tensor;
  private readonly args: [number, number, TransformerLayerOptions];

  constructor(dModel: number, nhead: number, opts: TransformerLayerOptions = {}) {
    super();
    this.args = [dModel, nhead, { ...opts }];
    const ff = opts.dimFeedforward ?? 2048;
    const p = opts.dropout ?? 0.1;
    const eps = opts.layerNormEps ?? 1e-5;
    this.selfAttn = this.registerModule('self_attn', new MultiheadAttention(dModel, nhead, { dropout: p, batchFirst: opts.batchFirst }));
    this.multiheadAttn = this.registerModule('multihead_attn', new MultiheadAttention(dModel, nhead, { dropout: p, batchFirst: opts.batchFirst }));
    this.linear1 = this.registerModule('linear1', new Linear(dModel, ff));
    this.dropout = this.registerModule('dropout', new Dropout(p));
    this.linear2 = this.registerModule('linear2', new Linear(ff, dModel));
    this.normFirst = opts.normFirst ?? false;
    this.norm1 = this.registerModule('norm1', new LayerNorm(dModel, { eps }));
    this.norm2 = this.registerModule('norm2', new LayerNorm(dModel, { eps }));
    this.norm3 = this.registerModule('norm3', new LayerNorm(dModel, { eps }));
    this.dropout1 = this.registerModule('dropout1', new Dropout(p));
    this.dropout2 = this.registerModule('dropout2', new Dropout(p));
    this.dropout3 = this.registerModule('dropout3', new Dropout(p));
    this.activation = activationFn(opts.activation);
  }

  /** A new layer with the same options and a copy of the weights (torch's deepcopy). */
  clone(): TransformerDecoderLayer {
    const c = new TransformerDecoderLayer(...this.args);
    c.loadStateDict(this.stateDict());
    return c.train(this.training);
  }

  /** tgt [T, B, d], memory [S, B, d] (batchFirst: [B, T, d], [B, S, d]) → like tgt. */
  forward(tgt: Tensor, memory: Tensor, opts: DecoderLayerForwardOptions = {}): Tensor {
    return this.forwardWithAttention(tgt, memory, opts, false).output;
  }

  /** forward() that also returns self- [B, H, T, T] and cross-attention [B, H, T, S] weights. */
  forwardWithAttention(
    tgt: Tensor, memory: Tensor, opts: DecoderLayerForwardOptions = {}, needWeights = true,
  ): { output: Tensor; selfAttention: Tensor | null; crossAttention: Tensor | null } {
    return tidy(() => {
      let selfAttention: Tensor | null = null;
      let crossAttention: Tensor | null = null;
      const sa = (x: Tensor): Tensor => {
        const [out, w] = this.selfAttn.attend(x, x, x, { attnMask: opts.tgtMask, keyPaddingMask: opts.tgtKeyPaddingMask, cache: opts.cache }, needWeights);
        selfAttention = w;
        return this.dropout1.forward(out);
      };
      const ca = (x: Tensor): Tensor => {
        const [out, w] = this.multiheadAttn.attend(x, memory, memory, { attnMask: opts.memoryMask, keyPaddingMask: opts.memoryKeyPaddingMask, cache: opts.memoryCache }, needWeights);
        crossAttention = w;
        return this.dropout2.forward(out);
      };
      const ffBlock = (x: Tensor): Tensor =>
        this.dropout3.forward(this.linear2.forward(this.dropout.forward(this.activation(this.linear1.forward(x)))));
      let x = tgt;
      if (this.normFirst) {
        x = add(x, sa(this.norm1.forward(x)));
        x = add(x, ca(this.norm2.forward(x)));
        x = add(x, ffBlock(this.norm3.forward(x)));
      } else {
        x = this.norm1.forward(add(x, sa(x)));
        x = this.norm2.forward(add(x, ca(x)));
        x = this.norm3.forward(add(x, ffBlock(x)));
      }
      return { output: x, selfAttention: selfAttention as Tensor | null, crossAttention: crossAttention as Tensor | null };
    });
  }
}

/**
 * Vaswani et al. (2017) positions: pe[pos, 2i] = sin(pos / 10000^(2i/d)),
 * pe[pos, 2i+1] = cos(same). Returns [maxLen, d] float32 (computed in float64). d must be even.
 */
export function sinusoidalPositionalEncoding(maxLen: number, d: number): Tensor {
  if (!Number.isInteger(maxLen) || maxLen < 0) throw new Error(`sinusoidalPositionalEncoding: maxLen must be a non-negative integer, got ${maxLen}`);
  if (!Number.isInteger(d) || d <= 0 || d % 2 !== 0) throw new Error(`sinusoidalPositionalEncoding: d must be a positive even integer, got ${d}`);
  const pe = new Float32Array(maxLen * d);
  for (let i = 0; i < d; i += 2) {
    const div = Math.pow(10000, i / d);
    for (let pos = 0; pos < maxLen; pos++) {
      const angle = pos / div;
      pe[pos * d + i] = Math.sin(angle);
      pe[pos * d + i + 1] = Math.cos(angle);
    }
  }
  return tensor(pe, { shape: [maxLen, d] });
}

/** Bool [T, T], true above the diagonal: position i may not attend to j > i. */
export function causalMask(T: number): Tensor {
  return tidy(() => triu(ones([T, T], { dtype: 'bool' }), 1));
}

/** Float [T, T]: 0 on and below the diagonal, -inf above (torch's generate_square_subsequent_mask). */
export function generateSquareSubsequentMask(T: number): Tensor {
  return tidy(() => where(causalMask(T), -Infinity, 0));
}
