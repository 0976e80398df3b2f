// Gradient clipping by global norm (torch.nn.utils.clip_grad_norm_).
import type { Tensor } from '../tensor.ts';
import { noGrad } from '../autograd.ts';
import { keep, tidy } from '../memory.ts';
import { scalar } from '../ops/creation.ts';
import { abs, add, div, minimum, mul, sqrt } from '../ops/elementwise.ts';
import { max, sum } from '../ops/reduce.ts';
import { stack } from '../ops/shape-ops.ts';

export interface ClipGradNormOptions {
  /** 2 (default) or Infinity (largest absolute value). */
  normType?: number;
}

/**
 * Scale all gradients together so their joint norm is at most maxNorm:
 * total = ‖all grads‖, coef = maxNorm / (total + 1e-6), grads *= min(coef, 1).
 * Returns the total norm before clipping as a 0-d tensor (dispose it, or read it with item()).
 * Runs on the device without reading values back.
 */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number, opts: ClipGradNormOptions = {}): Tensor {
  const normType = opts.normType ?? 2;
  if (normType !== 2 && normType !== Infinity) throw new Error(`clipGradNorm: normType must be 2 or Infinity, got ${normType}`);
  if (!(maxNorm >= 0)) throw new Error(`clipGradNorm: maxNorm must be ≥ 0, got ${maxNorm}`);
  const withGrad = [...params].filter((p) => p.grad !== null);
  if (withGrad.length === 0) return scalar(0);
  return noGrad(() => tidy(() => {
    const grads = withGrad.map((p) => p.grad!);
    const total = normType === Infinity
      ? max(stack(grads.map((g) => max(abs(g)))))
      : sqrt(sum(stack(grads.map((g) => sum(mul(g, g))))));
    const coef = minimum(div(maxNorm, add(total, 1e-6)), 1);
    for (const p of withGrad) {
      const old = p.grad!;
      p.grad = keep(mul(old, coef));
      old.dispose();
    }
    return total;
  }));
}
