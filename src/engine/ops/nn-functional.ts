// Neural-network composites built only from primitives (their gradients come for free).
import { fmtShape, normDim, opError, shapesEqual, sizeOf } from '../shape.ts';
import { fusedAttention, fusedLayerNorm, fusedSoftmax } from '../fused.ts';
import { Tensor } from '../tensor.ts';
import { castP, reduceP, reshapeP } from '../primitives.ts';
import { noGrad } from '../autograd.ts';
import { tidy } from '../memory.ts';
import { isRecordingAttention, recordAttentionWeights } from '../attention-record.ts';
import type { Generator } from '../random.ts';
import { ones, rand } from './creation.ts';
import { add, div, exp, isinf, log, logicalNot, lt, maskedFill, mul, rsqrt, sub, where } from './elementwise.ts';
import { matmul, matmulNT } from './linalg.ts';
import { mean } from './reduce.ts';
import { tril } from './shape-ops.ts';

function live(op: string, x: Tensor): void {
  if (!(x instanceof Tensor)) throw opError(op, `expected a Tensor, got ${x === null ? 'null' : typeof x}`);
  x._assertLive(op);
}

function asFloat(x: Tensor): Tensor {
  return x.dtype === 'float32' ? x : castP(x, 'float32');
}

/** A new handle on the same data that is cut out of the graph. */
export function detach(x: Tensor): Tensor {
  live('detach', x);
  return noGrad(() => reshapeP(x, x.shape));
}

/** softmax along dim: exp(x - max) / Σ exp(x - max). A row of all -inf gives NaN, as torch. */
export function softmax(x: Tensor, dim: number): Tensor {
  live('softmax', x);
  const d = normDim('softmax', dim, Math.max(x.ndim, 1));
  return tidy(() => {
    const xf = asFloat(x);
    const fused = fusedSoftmax(xf, d, false);
    if (fused) return fused;
    const dims = x.ndim === 0 ? [] : [d];
    // softmax is shift-invariant, so the max is a constant for the gradient
    const m = noGrad(() => reduceP('max', xf, dims, true));
    const e = exp(sub(xf, m));
    return div(e, reduceP('sum', e, dims, true));
  });
}

/**
 * log softmax along dim: (x − m) − log Σ exp(x − m), m the row max (0 where it is ±inf).
 * Not x − logsumexp(x): logsumexp = m + log Σ rounds to float32 at m's scale, so large logits
 * (3000) lost ~1e-4; x − m is exact in float32 and log Σ is at most log(size).
 */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  live('logSoftmax', x);
  const d = normDim('logSoftmax', dim, Math.max(x.ndim, 1));
  return tidy(() => {
    const xf = asFloat(x);
    const fused = fusedSoftmax(xf, d, true);
    if (fused) return fused;
    const dims = x.ndim === 0 ? [] : [d];
    // the shift is a constant for the gradient (log-softmax is shift-invariant)
    const m = noGrad(() => {
      const mx = reduceP('max', xf, dims, true);
      return where(isinf(mx), 0, mx);
    });
    const shifted = sub(xf, m);
    return sub(shifted, log(reduceP('sum', exp(shifted), dims, true)));
  });
}

/** Layer norm over the trailing `normalizedShape` dims (biased variance, like torch). */
export function layerNorm(
  x: Tensor, normalizedShape: number | readonly number[], weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5,
): Tensor {
  live('layerNorm', x);
  const ns = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  const k = ns.length;
  if (k === 0 || k > x.ndim || !shapesEqual(x.shape.slice(x.ndim - k), ns)) {
    throw opError('layerNorm', `normalizedShape ${fmtShape(ns)} must match the trailing dims of the input ${fmtShape(x.shape)}`);
  }
  for (const [name, p] of [['weight', weight], ['bias', bias]] as const) {
    if (p) {
      live('layerNorm', p);
      if (!shapesEqual(p.shape, ns)) throw opError('layerNorm', `${name} ${fmtShape(p.shape)} must have shape ${fmtShape(ns)}`);
    }
  }
  return tidy(() => {
    const dims = ns.map((_, i) => x.ndim - k + i);
    const xf = asFloat(x);
    const fused = fusedLayerNorm(xf, sizeOf(ns), weight ?? null, bias ?? null, eps);
    if (fused) return fused;
    // second centring pass: the float32 mean of values near 1e4 is off by up to half an ulp
    // (~5e-4), which the residual's mean corrects; mathematically a no-op
    const rough = sub(xf, mean(xf, dims, true));
    const centered = sub(rough, mean(rough, dims, true));
    const variance = mean(mul(centered, centered), dims, true);
    let y = mul(centered, rsqrt(add(variance, eps)));
    if (weight) y = mul(y, weight);
    if (bias) y = add(y, bias);
    return y;
  });
}

/** Zero each element with probability p and scale the rest by 1/(1-p) (only when training). */
export function dropout(x: Tensor, p = 0.5, training = true, generator?: Generator): Tensor {
  live('dropout', x);
  if (!(p >= 0 && p <= 1)) throw opError('dropout', `probability p must be in [0, 1], got ${p}`);
  if (!training || p === 0) return reshapeP(x, x.shape);
  return tidy(() => {
    if (p === 1) return mul(x, 0);
    const keep = castP(lt(rand(x.shape, { generator }), 1 - p), 'float32');
    return mul(x, mul(keep, 1 / (1 - p)));
  });
}

export interface AttentionOptions {
  /** bool: true = may attend (torch); float: added to the scores. Broadcasts to [..., L, S]. */
  attnMask?: Tensor | null;
  /** Causal mask (query i sees keys ≤ i, aligned top-left like torch). */
  isCausal?: boolean;
  /** Dropout on the attention weights (applied only when > 0). */
  dropoutP?: number;
  /** Score scale; default 1/√E. */
  scale?: number;
  generator?: Generator;
}

/** softmax(q kᵀ · scale + mask) for q [..., L, E], k [..., S, E] → [..., L, S]. */
export function attentionWeights(q: Tensor, k: Tensor, opts: AttentionOptions = {}): Tensor {
  const op = 'scaledDotProductAttention';
  live(op, q);
  live(op, k);
  if (q.ndim < 2 || k.ndim < 2) throw opError(op, `q and k need at least 2 dims, got ${fmtShape(q.shape)} and ${fmtShape(k.shape)}`);
  const E = q.shape[q.ndim - 1];
  if (k.shape[k.ndim - 1] !== E) throw opError(op, `q ${fmtShape(q.shape)} and k ${fmtShape(k.shape)} must share the last dim`);
  if (opts.isCausal && opts.attnMask) throw opError(op, 'pass either attnMask or isCausal, not both (as torch)');
  const L = q.shape[q.ndim - 2];
  const S = k.shape[k.ndim - 2];
  const scale = opts.scale ?? 1 / Math.sqrt(E);
  return tidy(() => {
    let scores = mul(matmulNT(q, k), scale);
    if (opts.isCausal) {
      const allowed = tril(ones([L, S], { dtype: 'bool' }));
      scores = maskedFill(scores, logicalNot(allowed), -Infinity);
    } else if (opts.attnMask) {
      const mask = opts.attnMask;
      live(op, mask);
      scores = mask.dtype === 'bool' ? where(mask, scores, -Infinity) : add(scores, mask);
    }
    let w = softmax(scores, -1);
    recordAttentionWeights(w);
    if (opts.dropoutP && opts.dropoutP > 0) w = dropout(w, opts.dropoutP, true, opts.generator);
    return w;
  });
}

/** torch.nn.functional.scaled_dot_product_attention: softmax(q kᵀ/√E + mask) v. */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, opts: AttentionOptions = {}): Tensor {
  live('scaledDotProductAttention', v);
  if (v.ndim < 2 || v.shape[v.ndim - 2] !== k.shape[k.ndim - 2]) {
    throw opError('scaledDotProductAttention', `v ${fmtShape(v.shape)} must have as many rows as k ${fmtShape(k.shape)}`);
  }
  // inference without dropout: one kernel that never holds the [L, S] weights, where the backend has it
  // (and not while recordAttention() wants the weights)
  if (!(opts.dropoutP && opts.dropoutP > 0) && !(opts.isCausal && opts.attnMask) && !isRecordingAttention() && q instanceof Tensor && k instanceof Tensor) {
    q._assertLive('scaledDotProductAttention');
    k._assertLive('scaledDotProductAttention');
    if (opts.attnMask) opts.attnMask._assertLive('scaledDotProductAttention');
    const E = q.shape[q.ndim - 1];
    const fused = fusedAttention(q, k, v, { mask: opts.isCausal ? null : opts.attnMask ?? null, causal: opts.isCausal === true, scale: opts.scale ?? 1 / Math.sqrt(E) });
    if (fused) return fused;
  }
  return tidy(() => matmul(attentionWeights(q, k, opts), v));
}
