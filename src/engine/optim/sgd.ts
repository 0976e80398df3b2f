// Stochastic gradient descent with torch's momentum, dampening, Nesterov and L2 weight decay:
//   d = g + wd·p;  buf = μ·buf + (1 − dampening)·d (buf = d at the first step);
//   d = nesterov ? d + μ·buf : buf;  p = p − lr·d
import type { Tensor } from '../tensor.ts';
import { add, mul, sub } from '../ops/elementwise.ts';
import { clone } from '../ops/shape-ops.ts';
import { Optimizer } from './optimizer.ts';
import type { ParamGroup, ParamState, ParamsArg } from './optimizer.ts';

export interface SGDOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
}

export class SGD extends Optimizer<SGDOptions> {
  constructor(params: ParamsArg<SGDOptions>, opts: Partial<SGDOptions> & { lr: number }) {
    super(params, { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, ...opts });
  }

  protected validate(g: ParamGroup<SGDOptions>): void {
    if (!(g.lr >= 0)) throw new Error(`SGD: invalid learning rate ${g.lr}`);
    if (!(g.momentum >= 0)) throw new Error(`SGD: invalid momentum ${g.momentum}`);
    if (!(g.weightDecay >= 0)) throw new Error(`SGD: invalid weightDecay ${g.weightDecay}`);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) throw new Error('SGD: nesterov needs momentum > 0 and dampening 0');
  }

  protected update(p: Tensor, grad: Tensor, g: ParamGroup<SGDOptions>, state: ParamState): void {
    let d = g.weightDecay !== 0 ? add(grad, mul(p, g.weightDecay)) : grad;
    if (g.momentum !== 0) {
      const prev = state.momentumBuffer as Tensor | undefined;
      const buf = this.setState(state, 'momentumBuffer', prev ? add(mul(prev, g.momentum), mul(d, 1 - g.dampening)) : clone(d));
      d = g.nesterov ? add(d, mul(buf, g.momentum)) : buf;
    }
    p.assign(sub(p, mul(d, g.lr)));
  }
}
