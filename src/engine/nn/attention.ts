// nn.MultiheadAttention with torch's parameters and semantics: a packed in-projection
// (in_proj_weight rows = q, k, v), out_proj, bool masks where true = "may NOT attend",
// float masks added to the scores, and optional per-head attention weights.
import type { Tensor } from '../tensor.ts';
import { attentionBy } from '../attention-record.ts';
import { keep, tidy } from '../memory.ts';
import { zeros } from '../ops/creation.ts';
import { add, where } from '../ops/elementwise.ts';
import { linear, matmul } from '../ops/linalg.ts';
import { attentionWeights } from '../ops/nn-functional.ts';
import { mean } from '../ops/reduce.ts';
import { cat, chunk, permute, reshape, squeeze, transpose, unsqueeze } from '../ops/shape-ops.ts';
import { fmtShape } from '../shape.ts';
import * as init from './init.ts';
import { Linear } from './layers.ts';
import { Module } from './module.ts';

export interface MultiheadAttentionOptions {
  /** Dropout on the attention weights in train mode (default 0). */
  dropout?: number;
  /** Learn in_proj_bias and out_proj.bias (default true). */
  bias?: boolean;
  /** Tensors are [batch, seq, embed] instead of [seq, batch, embed] (default false). */
  batchFirst?: boolean;
}

export interface MultiheadAttentionForwardOptions {
  /** [B, S]: bool true = this key is padding (ignored), or float added to the scores. */
  keyPaddingMask?: Tensor | null;
  /** Also return attention weights (default true). */
  needWeights?: boolean;
  /** [L, S] or [B·numHeads, L, S]: bool true = may NOT attend, or float added to the scores. */
  attnMask?: Tensor | null;
  /** Average the returned weights over heads → [B, L, S]; false → per head [B, H, L, S] (default true). */
  averageAttnWeights?: boolean;
  /**
   * For generating one token after another. Self-attention: the keys and values of the positions
   * seen before; the new ones are appended, and the queries attend over all of them, so
   * S = cache length + L and attnMask, if any, must be [L, S]. Cross-attention (key and value not
   * the query): the projected keys and values of `key`/`value`, computed on the first call and
   * reused after — pass the same memory every time.
   */
  cache?: KVCache | null;
}

/**
 * The projected keys and values [B, H, S, d] of the positions a self-attention has seen, so the
 * next token costs one row of attention instead of the whole sequence again. For inference:
 * it holds what it is given (no tidy scope frees it) until dispose() or reset().
 */
export class KVCache {
  private k: Tensor | null = null;
  private v: Tensor | null = null;

  /** Positions held. */
  get length(): number {
    return this.k ? this.k.shape[2] : 0;
  }

  /** What is held, or null when empty. */
  held(): [Tensor, Tensor] | null {
    return this.k && this.v ? [this.k, this.v] : null;
  }

  /** Keys and values with `k`, `v` [B, H, L, d] appended after what is held (which they replace). */
  append(k: Tensor, v: Tensor): [Tensor, Tensor] {
    const nextK = keep(this.k ? cat([this.k, k], 2) : k);
    const nextV = keep(this.v ? cat([this.v, v], 2) : v);
    this.reset();
    this.k = nextK;
    this.v = nextV;
    return [nextK, nextV];
  }

  reset(): void {
    this.k?.dispose();
    this.v?.dispose();
    this.k = this.v = null;
  }

  dispose(): void {
    this.reset();
  }
}

/** Turn a bool "masked" tensor into 0 / -inf; pass float masks through. */
function additive(mask: Tensor): Tensor {
  return mask.dtype === 'bool' ? where(mask, -Infinity, 0) : mask;
}

export class MultiheadAttention extends Module {
  readonly embedDim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly outProj: Linear;

  constructor(embedDim: number, numHeads: number, opts: MultiheadAttentionOptions = {}) {
    super();
    if (!Number.isInteger(numHeads) || numHeads < 1 || embedDim % numHeads !== 0) {
      throw new Error(`MultiheadAttention: embedDim (${embedDim}) must be divisible by numHeads (${numHeads})`);
    }
    this.embedDim = embedDim;
    this.numHeads = numHeads;
    this.headDim = embedDim / numHeads;
    this.dropout = opts.dropout ?? 0;
    this.batchFirst = opts.batchFirst ?? false;
    const bias = opts.bias ?? true;
    this.registerParameter('in_proj_weight', init.xavierUniform_(zeros([3 * embedDim, embedDim])));
    this.registerParameter('in_proj_bias', bias ? zeros([3 * embedDim]) : null);
    this.outProj = this.registerModule('out_proj', new Linear(embedDim, embedDim, { bias }));
    if (bias) init.zeros_(this.outProj.bias!);
  }

  get inProjWeight(): Tensor { return this.getParameter('in_proj_weight')!; }
  get inProjBias(): Tensor | null { return this.getParameter('in_proj_bias'); }

  /**
   * query [L, B, E], key/value [S, B, E] ([B, L, E] / [B, S, E] with batchFirst; unbatched
   * [L, E] / [S, E] also work). Returns [attnOutput like query, weights or null]: weights are
   * [B, L, S] averaged over heads, or [B, H, L, S] with averageAttnWeights false.
   */
  forward(query: Tensor, key: Tensor, value: Tensor, opts: MultiheadAttentionForwardOptions = {}): [Tensor, Tensor | null] {
    const needWeights = opts.needWeights ?? true;
    const [out, w] = this.attend(query, key, value, opts, needWeights);
    if (!w) return [out, null];
    if (opts.averageAttnWeights ?? true) {
      const avg = mean(w, 1);
      w.dispose();
      return [out, avg];
    }
    return [out, w];
  }

  /** attend() with per-head weights [B, H, L, S] (or null when not asked for). */
  attend(query: Tensor, key: Tensor, value: Tensor, opts: MultiheadAttentionForwardOptions, needWeights: boolean): [Tensor, Tensor | null] {
    const E = this.embedDim;
    const H = this.numHeads;
    const d = this.headDim;
    const name = 'MultiheadAttention';
    const unbatched = query.ndim === 2;
    const rank = unbatched ? 2 : 3;
    for (const [n, t] of [['query', query], ['key', key], ['value', value]] as const) {
      if (t.ndim !== rank || t.shape[rank - 1] !== E) {
        throw new Error(`${name}: ${n} must be ${unbatched ? '[seq, embedDim]' : this.batchFirst ? '[batch, seq, embedDim]' : '[seq, batch, embedDim]'} with embedDim ${E}, got ${fmtShape(t.shape)}`);
      }
    }
    const selfAttention = query === key && key === value;
    return tidy(() => {
      // to [B, seq, E]
      const toBatchFirst = (t: Tensor): Tensor => (unbatched ? unsqueeze(t, 0) : this.batchFirst ? t : transpose(t, 0, 1));
      const q = toBatchFirst(query);
      const k = selfAttention ? q : toBatchFirst(key);
      const v = selfAttention ? q : toBatchFirst(value);
      const [B, L] = q.shape;
      const S = k.shape[1];
      if (k.shape[0] !== B || v.shape[0] !== B || v.shape[1] !== S) {
        throw new Error(`${name}: query ${fmtShape(query.shape)}, key ${fmtShape(key.shape)} and value ${fmtShape(value.shape)} disagree on batch or key length`);
      }
      // [B, seq, E] → [B, H, seq, d]
      const heads = (t: Tensor, len: number): Tensor => permute(reshape(t, [B, len, H, d]), [0, 2, 1, 3]);
      let qp: Tensor, kh: Tensor, vh: Tensor;
      if (selfAttention) {
        const [qs, ks, vs] = chunk(linear(q, this.inProjWeight, this.inProjBias), 3, -1);
        qp = qs;
        [kh, vh] = opts.cache ? opts.cache.append(heads(ks, S), heads(vs, S)) : [heads(ks, S), heads(vs, S)];
      } else {
        const [wq, wk, wv] = chunk(this.inProjWeight, 3, 0);
        const [bq, bk, bv] = this.inProjBias ? chunk(this.inProjBias, 3, 0) : [null, null, null];
        qp = linear(q, wq, bq);
        // a cross-attention cache holds the memory's projections from its first call
        const held = opts.cache?.held();
        if (held) {
          if (held[0].shape[0] !== B || held[0].shape[2] !== S) throw new Error(`${name}: the cross-attention cache holds keys for [batch ${held[0].shape[0]}, ${held[0].shape[2]} positions], not the key given [${B}, ${S}]`);
          [kh, vh] = held;
        } else {
          kh = heads(linear(k, wk, bk), S);
          vh = heads(linear(v, wv, bv), S);
          if (opts.cache) [kh, vh] = opts.cache.append(kh, vh);
        }
      }
      const mask = this.scoreMask(opts, B, L, kh.shape[2]);
      const w = attentionBy(this, selfAttention ? 'self' : 'cross', () => attentionWeights(heads(qp, L), kh, {
        attnMask: mask,
        dropoutP: this.training ? this.dropout : 0,
      }));
      const o = matmul(w, vh); // [B, H, L, d]
      const merged = reshape(permute(o, [0, 2, 1, 3]), [B, L, E]);
      let out = this.outProj.forward(merged); // [B, L, E]
      out = unbatched ? squeeze(out, 0) : this.batchFirst ? out : transpose(out, 0, 1);
      const weights = needWeights ? (unbatched ? squeeze(w, 0) : w) : null;
      return [out, weights] as [Tensor, Tensor | null];
    });
  }

  /** The additive mask [B|1, H|1, L, S] from attnMask and keyPaddingMask, or null. */
  private scoreMask(opts: MultiheadAttentionForwardOptions, B: number, L: number, S: number): Tensor | null {
    const name = 'MultiheadAttention';
    let mask: Tensor | null = null;
    const am = opts.attnMask;
    if (am) {
      if (am.ndim === 2 && am.shape[0] === L && am.shape[1] === S) mask = reshape(additive(am), [1, 1, L, S]);
      else if (am.ndim === 3 && am.shape[0] === B * this.numHeads && am.shape[1] === L && am.shape[2] === S) mask = reshape(additive(am), [B, this.numHeads, L, S]);
      else throw new Error(`${name}: attnMask must be [${L}, ${S}] or [${B * this.numHeads}, ${L}, ${S}] (batch·heads, L, S), got ${fmtShape(am.shape)}`);
    }
    const kpm = opts.keyPaddingMask;
    if (kpm) {
      if (kpm.ndim !== 2 || kpm.shape[0] !== B || kpm.shape[1] !== S) {
        throw new Error(`${name}: keyPaddingMask must be [batch ${B}, keys ${S}], got ${fmtShape(kpm.shape)}`);
      }
      const k = reshape(additive(kpm), [B, 1, 1, S]);
      mask = mask ? add(mask, k) : k;
    }
    return mask;
  }

  override extraRepr(): string {
    return `embed_dim=${this.embedDim}, num_heads=${this.numHeads}${this.batchFirst ? ', batch_first=true' : ''}`;
  }
}
