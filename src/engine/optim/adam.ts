// Adam (Kingma & Ba) with torch's formulation, and AdamW (Loshchilov & Hutter):
//   Adam:  g = g + wd·p (L2, coupled)        AdamW: p = p·(1 − lr·wd) (decoupled)
//   m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²  (v̂ = max(v̂, v) with amsgrad)
//   p = p − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + eps)
import type { Tensor } from '../tensor.ts';
import { add, div, maximum, mul, sqrt, sub } from '../ops/elementwise.ts';
import { zerosLike } from '../ops/creation.ts';
import { fusedAdamStep } from '../fused.ts';
import { Optimizer } from './optimizer.ts';
import type { ParamGroup, ParamState, ParamsArg } from './optimizer.ts';

export interface AdamOptions {
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
}

abstract class AdamBase extends Optimizer<AdamOptions> {
  protected abstract readonly decoupled: boolean;

  protected validate(g: ParamGroup<AdamOptions>): void {
    const name = this.constructor.name;
    if (!(g.lr >= 0)) throw new Error(`${name}: invalid learning rate ${g.lr}`);
    if (!(g.eps >= 0)) throw new Error(`${name}: invalid eps ${g.eps}`);
    const [b1, b2] = g.betas;
    if (!(b1 >= 0 && b1 < 1) || !(b2 >= 0 && b2 < 1)) throw new Error(`${name}: betas must be in [0, 1), got [${b1}, ${b2}]`);
    if (!(g.weightDecay >= 0)) throw new Error(`${name}: invalid weightDecay ${g.weightDecay}`);
  }

  protected update(p: Tensor, grad: Tensor, g: ParamGroup<AdamOptions>, state: ParamState): void {
    const [b1, b2] = g.betas;
    const step = ((state.step as number | undefined) ?? 0) + 1;
    state.step = step;
    if (!g.amsgrad) {
      // one kernel for the whole update where the backend has it (same arithmetic)
      const fused = fusedAdamStep(p, grad, (state.expAvg as Tensor | undefined) ?? zerosLike(p), (state.expAvgSq as Tensor | undefined) ?? zerosLike(p),
        { lr: g.lr, beta1: b1, beta2: b2, eps: g.eps, weightDecay: g.weightDecay, decoupled: this.decoupled, step });
      if (fused) {
        this.setState(state, 'expAvg', fused[1]);
        this.setState(state, 'expAvgSq', fused[2]);
        p.assign(fused[0]);
        return;
      }
    }
    let param: Tensor = p;
    let gr = grad;
    if (g.weightDecay !== 0) {
      if (this.decoupled) param = mul(p, 1 - g.lr * g.weightDecay);
      else gr = add(grad, mul(p, g.weightDecay));
    }
    const m = this.setState(state, 'expAvg', add(mul((state.expAvg as Tensor | undefined) ?? zerosLike(p), b1), mul(gr, 1 - b1)));
    const v = this.setState(state, 'expAvgSq', add(mul((state.expAvgSq as Tensor | undefined) ?? zerosLike(p), b2), mul(mul(gr, gr), 1 - b2)));
    let second = v;
    if (g.amsgrad) {
      const prev = state.maxExpAvgSq as Tensor | undefined;
      second = this.setState(state, 'maxExpAvgSq', prev ? maximum(prev, v) : v.clone());
    }
    const bc1 = 1 - b1 ** step;
    const bc2 = 1 - b2 ** step;
    const denom = add(div(sqrt(second), Math.sqrt(bc2)), g.eps);
    p.assign(sub(param, mul(div(m, denom), g.lr / bc1)));
  }
}

/** Adam; weightDecay is an L2 term added to the gradient (torch.optim.Adam). Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0. */
export class Adam extends AdamBase {
  protected readonly decoupled = false;
  constructor(params: ParamsArg<AdamOptions>, opts: Partial<AdamOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, ...opts });
  }
}

/** AdamW: decoupled weight decay (torch.optim.AdamW). Defaults as Adam but weightDecay 0.01. */
export class AdamW extends AdamBase {
  protected readonly decoupled = true;
  constructor(params: ParamsArg<AdamOptions>, opts: Partial<AdamOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, ...opts });
  }
}
