// Attention weights as a model computes them, for looking inside any model built from the engine's
// attention (nn.MultiheadAttention and every layer and model on it, or F.scaledDotProductAttention):
// recordAttention(() => model.forward(x)) returns the forward's result and every weight tensor the
// forward made, in call order — the engine's counterpart of a forward hook in PyTorch.
import { noGrad } from './autograd.ts';
import { keep } from './memory.ts';
import { clone } from './ops/shape-ops.ts';
import type { Tensor } from './tensor.ts';

export interface RecordedAttention {
  /** A copy of the weights, [B, H, L, S] from nn.MultiheadAttention, else as the caller shaped q and k; the caller disposes it. */
  weights: Tensor;
  /** 'self' or 'cross' from nn.MultiheadAttention; 'attention' from a direct call of the functional form. */
  kind: 'self' | 'cross' | 'attention';
  /** The nn.MultiheadAttention that computed them (find its name with model.namedModules()). */
  module?: object;
}

let recording: RecordedAttention[] | null = null;
let next: { kind: 'self' | 'cross'; module: object } | null = null;

/** True while a recordAttention() runs: attention then computes its weights instead of taking a fused path. */
export function isRecordingAttention(): boolean {
  return recording !== null;
}

/** @internal Called by attentionWeights() with what it computed. */
export function recordAttentionWeights(w: Tensor): void {
  if (!recording) return;
  const weights = keep(noGrad(() => clone(w)));
  recording.push(next ? { weights, kind: next.kind, module: next.module } : { weights, kind: 'attention' });
}

/** @internal nn.MultiheadAttention says which module computes the next weights, and whether self- or cross-attention. */
export function attentionBy<T>(module: object, kind: 'self' | 'cross', fn: () => T): T {
  const outer = next;
  next = { kind, module };
  try {
    return fn();
  } finally {
    next = outer;
  }
}

/** Runs fn and returns its result with every attention-weight tensor computed meanwhile (dispose them when done). */
export function recordAttention<T>(fn: () => T): { result: T; attention: RecordedAttention[] } {
  if (recording) throw new Error('recordAttention: already recording (calls do not nest)');
  const attention: RecordedAttention[] = [];
  recording = attention;
  try {
    return { result: fn(), attention };
  } catch (e) {
    for (const a of attention) a.weights.dispose();
    throw e;
  } finally {
    recording = null;
  }
}
