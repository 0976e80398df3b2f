// Loss functions (composites), following torch.nn.functional semantics.
import { fmtShape, opError, shapesEqual } from '../shape.ts';
import { Tensor } from '../tensor.ts';
import { castP, checkIndexRange } from '../primitives.ts';
import { fusedCrossEntropyRows } from '../fused.ts';
import { tidy } from '../memory.ts';
import { abs, add, div, eq, exp, log, maximum, mul, neg, ne, sub, where } from './elementwise.ts';
import { gather, indexSelect } from './indexing.ts';
import { logSoftmax, softmax } from './nn-functional.ts';
import { mean, sum } from './reduce.ts';
import { squeeze, unsqueeze } from './shape-ops.ts';

export type Reduction = 'mean' | 'sum' | 'none';

function live(op: string, x: Tensor): void {
  if (!(x instanceof Tensor)) throw opError(op, `expected a Tensor, got ${x === null ? 'null' : typeof x}`);
  x._assertLive(op);
}

function reduceLoss(op: string, loss: Tensor, reduction: Reduction | undefined): Tensor {
  const r = reduction ?? 'mean';
  if (r === 'mean') return mean(loss);
  if (r === 'sum') return sum(loss);
  if (r === 'none') return loss;
  throw opError(op, `reduction must be 'mean', 'sum' or 'none', got '${String(r)}'`);
}

function sameShape(op: string, a: Tensor, b: Tensor, what = 'target'): void {
  if (!shapesEqual(a.shape, b.shape)) throw opError(op, `input ${fmtShape(a.shape)} and ${what} ${fmtShape(b.shape)} must have the same shape`);
}

export function mseLoss(input: Tensor, target: Tensor, opts: { reduction?: Reduction } = {}): Tensor {
  live('mseLoss', input);
  live('mseLoss', target);
  sameShape('mseLoss', input, target);
  return tidy(() => {
    const d = sub(input, target);
    return reduceLoss('mseLoss', mul(d, d), opts.reduction);
  });
}

export function l1Loss(input: Tensor, target: Tensor, opts: { reduction?: Reduction } = {}): Tensor {
  live('l1Loss', input);
  live('l1Loss', target);
  sameShape('l1Loss', input, target);
  return tidy(() => reduceLoss('l1Loss', abs(sub(input, target)), opts.reduction));
}

export interface NllOptions {
  /** Targets equal to this are skipped (default -100, like torch). */
  ignoreIndex?: number;
  reduction?: Reduction;
  /** Per-class weight [C]. */
  weight?: Tensor | null;
}

function checkClassTargets(op: string, input: Tensor, target: Tensor): void {
  if (target.dtype !== 'int32') throw opError(op, `class targets must be int32, got ${target.dtype} (use .int(), or pass float probabilities of the input's shape)`);
  if (input.ndim < 1) throw opError(op, `input must have a class dim, got ${fmtShape(input.shape)}`);
  const expected = input.ndim === 1 ? [] : [input.shape[0], ...input.shape.slice(2)];
  if (!shapesEqual(target.shape, expected)) {
    throw opError(op, `input ${fmtShape(input.shape)} (class dim ${input.ndim === 1 ? 0 : 1}) expects target ${fmtShape(expected)}, got ${fmtShape(target.shape)}`);
  }
}

/** Class targets must lie in [0, C) unless ignored (on the host at once, on WebGPU at the next read). */
export function checkTargets(op: string, target: Tensor, C: number, ignoreIndex: number): void {
  checkIndexRange(target, { low: 0, high: C, skip: ignoreIndex, message: (v) => `${op}: target ${v} out of range for ${C} classes` });
}

/**
 * Per-element -w[t]·logp[t] and weights, with ignored targets zeroed. Class dim is 1 (0 for 1-D).
 * Returns [loss, weights] both of the target's shape.
 */
function pickNll(op: string, logp: Tensor, target: Tensor, ignoreIndex: number, weight: Tensor | null | undefined): [Tensor, Tensor] {
  const classDim = logp.ndim === 1 ? 0 : 1;
  const C = logp.shape[classDim];
  const valid = ne(target, ignoreIndex);
  checkTargets(op, target, C, ignoreIndex);
  const safeTarget = castP(where(valid, target, 0), 'int32');
  const picked = squeeze(gather(logp, classDim, unsqueeze(safeTarget, classDim)), classDim);
  let w = castP(valid, 'float32');
  if (weight) w = mul(w, indexSelect(weight, 0, safeTarget.ndim === 0 ? safeTarget : safeTarget.flatten()).reshape(safeTarget.shape));
  return [neg(mul(picked, w)), w];
}

function reduceWeighted(op: string, loss: Tensor, w: Tensor, reduction: Reduction | undefined): Tensor {
  const r = reduction ?? 'mean';
  if (r === 'mean') return div(sum(loss), sum(w));
  if (r === 'sum') return sum(loss);
  if (r === 'none') return loss;
  throw opError(op, `reduction must be 'mean', 'sum' or 'none', got '${String(r)}'`);
}

/** Negative log likelihood over log-probabilities [N, C] or [N, C, d...] with int32 targets. */
export function nllLoss(logProbs: Tensor, target: Tensor, opts: NllOptions = {}): Tensor {
  live('nllLoss', logProbs);
  live('nllLoss', target);
  checkClassTargets('nllLoss', logProbs, target);
  return tidy(() => {
    const [loss, w] = pickNll('nllLoss', logProbs, target, opts.ignoreIndex ?? -100, opts.weight);
    return reduceWeighted('nllLoss', loss, w, opts.reduction);
  });
}

export interface CrossEntropyOptions extends NllOptions {
  /** Mix the target with the uniform distribution: (1-ε)·onehot + ε/C. */
  labelSmoothing?: number;
}

/**
 * Cross-entropy of logits [N, C] / [N, C, d...] (class dim 1) against int32 class targets or
 * float class probabilities of the logits' shape — torch.nn.functional.cross_entropy.
 */
export function crossEntropy(logits: Tensor, target: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  const op = 'crossEntropy';
  live(op, logits);
  live(op, target);
  const eps = opts.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps <= 1)) throw opError(op, `labelSmoothing must be in [0, 1], got ${eps}`);
  const classDim = logits.ndim === 1 ? 0 : 1;
  const C = logits.shape[classDim];
  if (target.dtype === 'float32') {
    sameShape(op, logits, target, 'probability target');
    return tidy(() => {
      const logp = logSoftmax(logits, classDim);
      let t = eps > 0 ? add(mul(target, 1 - eps), eps / C) : target;
      if (opts.weight) t = mul(t, opts.weight.reshape([C, ...logits.shape.slice(classDim + 1).map(() => 1)]));
      const loss = neg(sum(mul(logp, t), classDim));
      return reduceLoss(op, loss, opts.reduction);
    });
  }
  checkClassTargets(op, logits, target);
  const ignoreIndex = opts.ignoreIndex ?? -100;
  if (eps === 0 && !opts.weight && logits.ndim === 2) {
    // one kernel per row (logsumexp − logit[target]) where the backend has it
    checkTargets(op, target, C, ignoreIndex);
    const fused = tidy(() => {
      const rows = fusedCrossEntropyRows(logits, target, ignoreIndex);
      return rows && reduceWeighted(op, rows, castP(ne(target, ignoreIndex), 'float32'), opts.reduction);
    });
    if (fused) return fused;
  }
  return tidy(() => {
    const logp = logSoftmax(logits, classDim);
    const [nll, w] = pickNll(op, logp, target, opts.ignoreIndex ?? -100, opts.weight);
    const nllRed = reduceWeighted(op, nll, w, opts.reduction);
    if (eps === 0) return nllRed;
    // smoothing term: -Σ_c w_c·logp_c per element, ignored targets zeroed (torch's formula)
    const valid = castP(ne(target, opts.ignoreIndex ?? -100), 'float32');
    const wl = opts.weight ? mul(logp, opts.weight.reshape([C, ...logits.shape.slice(classDim + 1).map(() => 1)])) : logp;
    const smooth = mul(neg(sum(wl, classDim)), valid);
    const r = opts.reduction ?? 'mean';
    const smoothRed = r === 'mean' ? div(sum(smooth), sum(w)) : r === 'sum' ? sum(smooth) : smooth;
    return add(mul(nllRed, 1 - eps), mul(smoothRed, eps / C));
  });
}

export interface KlDivOptions {
  /** 'mean' averages over all elements (torch's default); 'batchmean' divides the sum by the batch size. */
  reduction?: Reduction | 'batchmean';
  /** Target given as log-probabilities. */
  logTarget?: boolean;
}

/** KL(target ‖ input) with `input` as log-probabilities: Σ target·(log target − input). */
export function klDiv(input: Tensor, target: Tensor, opts: KlDivOptions = {}): Tensor {
  live('klDiv', input);
  live('klDiv', target);
  sameShape('klDiv', input, target);
  return tidy(() => {
    let pointwise: Tensor;
    if (opts.logTarget) pointwise = mul(exp(target), sub(target, input));
    else {
      // xlogy: 0·log 0 = 0
      const tlogt = where(eq(target, 0), 0, mul(target, log(target)));
      pointwise = sub(tlogt, mul(target, input));
    }
    const r = opts.reduction ?? 'mean';
    if (r === 'batchmean') return div(sum(pointwise), input.ndim === 0 ? 1 : input.shape[0]);
    return reduceLoss('klDiv', pointwise, r);
  });
}

export interface BceOptions {
  reduction?: Reduction;
  /** Weight on positive examples, broadcast over the class dim (torch pos_weight). */
  posWeight?: Tensor | null;
  weight?: Tensor | null;
}

/** Binary cross-entropy on logits, stable: (1−y)·x + (1 + (pw−1)·y)·softplus(−x). */
export function binaryCrossEntropyWithLogits(logits: Tensor, target: Tensor, opts: BceOptions = {}): Tensor {
  const op = 'binaryCrossEntropyWithLogits';
  live(op, logits);
  live(op, target);
  sameShape(op, logits, target);
  return tidy(() => {
    const y = castP(target, 'float32');
    // softplus(-x) = max(-x, 0) + log(1 + exp(-|x|))
    const softplusNeg = add(maximum(neg(logits), 0), log(add(exp(neg(abs(logits))), 1)));
    const lw = opts.posWeight ? add(mul(sub(opts.posWeight, 1), y), 1) : null;
    let loss = add(mul(sub(1, y), logits), lw ? mul(lw, softplusNeg) : softplusNeg);
    if (opts.weight) loss = mul(loss, opts.weight);
    return reduceLoss(op, loss, opts.reduction);
  });
}

export interface DistillationOptions {
  /** Softmax temperature T (> 0). */
  T: number;
  /** Weight of the soft (teacher) term in [0, 1]. */
  alpha: number;
  ignoreIndex?: number;
}

/**
 * Knowledge distillation (Hinton, Vinyals & Dean, 2015):
 *
 *   L = α · T² · KL( softmax(teacher/T) ‖ softmax(student/T) )  [batchmean]
 *     + (1 − α) · CE(student, targets)
 *
 * The T² keeps the soft term's gradient scale independent of T. Like any torch expression, the
 * teacher logits receive a gradient if they require one: compute them under noGrad (or detach).
 */
export function distillationLoss(studentLogits: Tensor, teacherLogits: Tensor, targets: Tensor, opts: DistillationOptions): Tensor {
  const op = 'distillationLoss';
  live(op, studentLogits);
  live(op, teacherLogits);
  live(op, targets);
  sameShape(op, studentLogits, teacherLogits, 'teacher logits');
  const { T, alpha } = opts;
  if (!(T > 0)) throw opError(op, `temperature T must be > 0, got ${T}`);
  if (!(alpha >= 0 && alpha <= 1)) throw opError(op, `alpha must be in [0, 1], got ${alpha}`);
  return tidy(() => {
    const classDim = studentLogits.ndim === 1 ? 0 : 1;
    const studentLogp = logSoftmax(div(studentLogits, T), classDim);
    const teacherP = softmax(div(teacherLogits, T), classDim);
    const soft = klDiv(studentLogp, teacherP, { reduction: 'batchmean' });
    const hard = crossEntropy(studentLogits, targets, { ignoreIndex: opts.ignoreIndex });
    return add(mul(soft, alpha * T * T), mul(hard, 1 - alpha));
  });
}
