// Fused forms of composites, for backends that implement `runFused` (WebGPU, CPU). Each returns null
// where the backend has no fused kernel for the arguments, and its caller (the composite in
// ops/*, optim/adam.ts, nn/recurrent.ts) then runs its primitives, which stay the reference.
// Differentiable ones record a node whose gradient rule (FUSED_VJP) runs the fused backward.
import type { FusedName, FusedParams } from './backend.ts';
import { isGradEnabled, record } from './autograd.ts';
import { backendOf, newTensor, reduceP, reshapeP, sliceP } from './primitives.ts';
import { shapesEqual, sizeOf, broadcastStrides } from './shape.ts';
import type { Tensor } from './tensor.ts';
import { FUSED_VJP } from './vjp.ts';

/** Run a fused kernel into fresh float32 outputs; null (nothing allocated) when declined. */
function launch<K extends FusedName>(name: K, inputs: Tensor[], outShapes: readonly (readonly number[])[], params: FusedParams[K]): Tensor[] | null {
  const be = backendOf(name, inputs);
  if (!be.runFused) return null;
  const outs = outShapes.map((s) => newTensor(s, 'float32', be));
  let ok = false;
  try {
    ok = be.runFused(name, inputs.map((t) => t._storage.buf), outs.map((o) => o._storage.buf), params);
  } finally {
    if (!ok) for (const o of outs) o.dispose();
  }
  return ok ? outs : null;
}

/** Backward kernels exist wherever their forward ran; a decline here is a backend bug. */
function mustLaunch<K extends FusedName>(name: K, inputs: Tensor[], outShapes: readonly (readonly number[])[], params: FusedParams[K]): Tensor[] {
  const r = launch(name, inputs, outShapes, params);
  if (!r) throw new Error(`autograd: backend '${inputs[0]._storage.backend.name}' ran a fused forward but declined '${name}'`);
  return r;
}

const canFuse = (ts: readonly Tensor[]): boolean =>
  ts.every((t) => t.dtype === 'float32') && ts[0]._storage.backend.runFused !== undefined;

/** softmax / log-softmax of float32 x along dim (already normalised); x.ndim ≥ 1. */
export function fusedSoftmax(x: Tensor, dim: number, log: boolean): Tensor | null {
  if (x.ndim === 0 || !canFuse([x])) return null;
  const params = { outer: sizeOf(x.shape.slice(0, dim)), size: x.shape[dim], inner: sizeOf(x.shape.slice(dim + 1)), log };
  const out = launch('softmax', [x], [x.shape], params);
  return out && record('fused.softmax', [x], out[0], params);
}

// log-softmax's backward reads x: softmax from exp(y) would carry y's rounding (big for large logits)
FUSED_VJP['fused.softmax'] = (g, { inputs: [x], out, params }) => {
  const p = params as FusedParams['softmax'];
  return mustLaunch('softmaxBackward', [p.log ? x : out, g], [out.shape], p);
};

/** Layer norm over the trailing `size` elements of x (weight/bias flattened to [size]). */
export function fusedLayerNorm(x: Tensor, size: number, weight: Tensor | null, bias: Tensor | null, eps: number): Tensor | null {
  const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  if (size === 0 || !canFuse(inputs)) return null;
  const params = { rows: x.size / size, size, eps, hasWeight: weight !== null, hasBias: bias !== null };
  const out = launch('layerNorm', inputs, [x.shape], params);
  return out && record('fused.layerNorm', inputs, out[0], params);
}

FUSED_VJP['fused.layerNorm'] = (g, { inputs, params }) => {
  const p = params as FusedParams['layerNorm'];
  const x = inputs[0];
  const weight = p.hasWeight ? inputs[1] : null;
  const bias = p.hasBias ? inputs[p.hasWeight ? 2 : 1] : null;
  const [dx, dyXhat] = mustLaunch('layerNormBackward', weight ? [x, g, weight] : [x, g], [x.shape, x.shape],
    { rows: p.rows, size: p.size, eps: p.eps, hasWeight: p.hasWeight });
  const columnSum = (t: Tensor, like: Tensor) => reshapeP(reduceP('sum', reshapeP(t, [p.rows, p.size]), [0], false), like.shape);
  const grads: (Tensor | null)[] = [dx];
  if (weight) grads.push(weight.requiresGrad ? columnSum(dyXhat, weight) : null);
  if (bias) grads.push(bias.requiresGrad ? columnSum(g, bias) : null);
  return grads;
};

/** Per-row cross-entropy of logits [N, C] against int32 targets [N]: 0 on ignored rows. */
export function fusedCrossEntropyRows(logits: Tensor, target: Tensor, ignoreIndex: number): Tensor | null {
  if (logits.ndim !== 2 || target.dtype !== 'int32' || !canFuse([logits])) return null;
  const params = { rows: logits.shape[0], classes: logits.shape[1], ignoreIndex };
  const out = launch('crossEntropy', [logits, target], [[logits.shape[0]]], params);
  return out && record('fused.crossEntropy', [logits, target], out[0], params);
}

FUSED_VJP['fused.crossEntropy'] = (g, { inputs: [logits, target], params }) =>
  [mustLaunch('crossEntropyBackward', [logits, target, g], [logits.shape], params as FusedParams['crossEntropyBackward'])[0], null];

export interface FusedAttentionOptions {
  mask: Tensor | null;
  causal: boolean;
  scale: number;
}

/**
 * softmax(q kᵀ·scale + mask) v without the score matrix, for inference: null when gradients
 * are wanted, or shapes/dtypes the kernel does not take (batch dims must match exactly).
 */
export function fusedAttention(q: Tensor, k: Tensor, v: Tensor, opts: FusedAttentionOptions): Tensor | null {
  if (isGradEnabled() && (q.requiresGrad || k.requiresGrad || v.requiresGrad)) return null;
  if (!canFuse([q, k, v]) || q.ndim < 2 || k.ndim !== q.ndim || v.ndim !== q.ndim) return null;
  const nb = q.ndim - 2;
  const batchShape = q.shape.slice(0, nb);
  if (!shapesEqual(k.shape.slice(0, nb), batchShape) || !shapesEqual(v.shape.slice(0, nb), batchShape)) return null;
  const [L, E] = q.shape.slice(nb);
  const [S, Ek] = k.shape.slice(nb);
  const [Sv, Ev] = v.shape.slice(nb);
  if (Ek !== E || Sv !== S) return null;
  const mask = opts.mask;
  let maskStrides: number[] = [];
  if (mask) {
    if (mask.dtype !== 'bool' && mask.dtype !== 'float32') return null;
    const full = [...batchShape, L, S];
    if (mask.ndim > full.length) return null;
    const lead = full.length - mask.ndim;
    if (mask.shape.some((d, i) => d !== 1 && d !== full[lead + i])) return null;
    maskStrides = broadcastStrides(mask.shape, full);
  }
  const params: FusedParams['attention'] = {
    batchShape: [...batchShape], L, S, E, Ev, scale: opts.scale, causal: opts.causal,
    mask: mask ? (mask.dtype === 'bool' ? 'bool' : 'float') : 'none',
    maskStrides: maskStrides.slice(0, nb), maskStrideL: maskStrides[nb] ?? 0, maskStrideS: maskStrides[nb + 1] ?? 0,
  };
  const out = launch('attention', mask ? [q, k, v, mask] : [q, k, v], [[...batchShape, L, Ev]], params);
  return out && out[0];
}

export interface FusedAdamOptions {
  lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; decoupled: boolean; step: number;
}

/** One Adam/AdamW step → [param', expAvg', expAvgSq'] (new tensors; nothing is written in place). */
export function fusedAdamStep(param: Tensor, grad: Tensor, expAvg: Tensor, expAvgSq: Tensor, o: FusedAdamOptions): Tensor[] | null {
  if (!canFuse([param, grad, expAvg, expAvgSq])) return null;
  return launch('adam', [param, grad, expAvg, expAvgSq], [param.shape, param.shape, param.shape], {
    size: param.size, lr: o.lr, beta1: o.beta1, beta2: o.beta2, eps: o.eps, weightDecay: o.weightDecay, decoupled: o.decoupled,
    bc2Sqrt: Math.sqrt(1 - o.beta2 ** o.step), stepSize: o.lr / (1 - o.beta1 ** o.step),
  });
}

/** One LSTM step from the gate projections xp, hp [B, 4H] and c [B, H] → [h', c']. */
export function fusedLstmCell(xp: Tensor, hp: Tensor, c: Tensor): [Tensor, Tensor] | null {
  if (xp.ndim !== 2 || !shapesEqual(hp.shape, xp.shape) || c.ndim !== 2 || !canFuse([xp, hp, c])) return null;
  const [B, H] = c.shape;
  if (xp.shape[0] !== B || xp.shape[1] !== 4 * H) return null;
  const params = { batch: B, hidden: H };
  const out = launch('lstmCell', [xp, hp, c], [[B, 2 * H]], params);
  if (!out) return null;
  const hc = record('fused.lstmCell', [xp, hp, c], out[0], params);
  const h = sliceP(hc, { starts: [0, 0], steps: [1, 1], shape: [B, H] });
  const cNext = sliceP(hc, { starts: [0, H], steps: [1, 1], shape: [B, H] });
  hc.dispose(); // the slices' graph nodes keep it for backward
  return [h, cNext];
}

FUSED_VJP['fused.lstmCell'] = (g, { inputs: [xp, hp, c], params }) => {
  const [da, dc] = mustLaunch('lstmCellBackward', [xp, hp, c, g], [xp.shape, c.shape], params as FusedParams['lstmCellBackward']);
  return [xp.requiresGrad ? da : null, hp.requiresGrad ? da : null, c.requiresGrad ? dc : null];
};

/**
 * A whole recurrent layer, one direction, in one call: xp [T, B, G·H] = the input projections of
 * every step, h0 and (LSTM) c0 [B, H]. For inference only — null (nothing run) when autograd
 * would need the steps, or where the backend declines; the caller then runs step by step.
 * Returns the outputs [T, B, H] and, for an LSTM, the last cell state.
 */
export function fusedRnnLayer(kind: FusedParams['rnnLayer']['kind'], xp: Tensor, wHh: Tensor, bHh: Tensor | null, h0: Tensor, c0: Tensor | null, reverse: boolean): [Tensor, Tensor | null] | null {
  const inputs = [xp, wHh, ...(bHh ? [bHh] : []), h0, ...(c0 ? [c0] : [])];
  if (isGradEnabled() && inputs.some((t) => t.requiresGrad)) return null;
  if (xp.ndim !== 3 || h0.ndim !== 2 || !canFuse(inputs)) return null;
  const [T, B] = xp.shape;
  const H = h0.shape[1];
  const outShapes = kind === 'LSTM' ? [[T, B, H], [B, H]] : [[T, B, H]];
  const out = launch('rnnLayer', inputs, outShapes, { kind, steps: T, batch: B, hidden: H, hasBias: bHh !== null, reverse });
  return out && [out[0], out[1] ?? null];
}

/** One GRU step from the gate projections xp, hp [B, 3H] (hp includes b_hh) and h [B, H] → h'. */
export function fusedGruCell(xp: Tensor, hp: Tensor, h: Tensor): Tensor | null {
  if (xp.ndim !== 2 || !shapesEqual(hp.shape, xp.shape) || h.ndim !== 2 || !canFuse([xp, hp, h])) return null;
  const [B, H] = h.shape;
  if (xp.shape[0] !== B || xp.shape[1] !== 3 * H) return null;
  const params = { batch: B, hidden: H };
  const out = launch('gruCell', [xp, hp, h], [[B, H]], params);
  return out && record('fused.gruCell', [xp, hp, h], out[0], params);
}

FUSED_VJP['fused.gruCell'] = (g, { inputs: [xp, hp, h], params }) => {
  const [dxp, dhp, dh] = mustLaunch('gruCellBackward', [xp, hp, h, g], [xp.shape, hp.shape, h.shape], params as FusedParams['gruCellBackward']);
  return [xp.requiresGrad ? dxp : null, hp.requiresGrad ? dhp : null, h.requiresGrad ? dh : null];
};
