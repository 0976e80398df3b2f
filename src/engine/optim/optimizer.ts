// The optimizer base: parameter groups (torch's param_groups), per-parameter state tensors,
// zeroGrad. Updates run under noGrad inside tidy and write parameters with assign(), so a
// training loop keeps a constant number of live tensors.
import type { Tensor } from '../tensor.ts';
import { noGrad } from '../autograd.ts';
import { keep, tidy } from '../memory.ts';

/** Options shared by every optimizer: a learning rate. */
export interface BaseOptions {
  lr: number;
}

/** One parameter group: its tensors and its (fully resolved) options. `lr` may be changed. */
export type ParamGroup<O extends BaseOptions> = O & { params: Tensor[] };

/** Parameters as a flat list, or as groups that override some options (e.g. no weight decay). */
export type ParamsArg<O extends BaseOptions> = Iterable<Tensor> | readonly ({ params: Iterable<Tensor> } & Partial<O>)[];

export type ParamState = Record<string, Tensor | number>;

export abstract class Optimizer<O extends BaseOptions> {
  readonly paramGroups: ParamGroup<O>[];
  /** Per-parameter state (momentum buffers, moments, step counts). */
  readonly state = new Map<Tensor, ParamState>();

  constructor(params: ParamsArg<O>, defaults: O) {
    const list = [...(params as Iterable<unknown>)];
    const isGroups = list.length > 0 && typeof list[0] === 'object' && list[0] !== null && 'params' in (list[0] as object) && !('shape' in (list[0] as object));
    const groups = isGroups ? (list as ({ params: Iterable<Tensor> } & Partial<O>)[]) : [{ params: list as Tensor[] }];
    const seen = new Set<Tensor>();
    this.paramGroups = groups.map((g) => {
      const ps = [...g.params];
      for (const p of ps) {
        if (!p.requiresGrad) throw new Error(`${this.constructor.name}: every parameter must have requiresGrad = true (got a ${p.dtype} tensor [${p.shape.join(',')}] without it)`);
        if (seen.has(p)) throw new Error(`${this.constructor.name}: a parameter appears in more than one group`);
        seen.add(p);
      }
      return { ...defaults, ...g, params: ps } as ParamGroup<O>;
    });
    if (seen.size === 0) throw new Error(`${this.constructor.name}: got an empty parameter list`);
    for (const g of this.paramGroups) this.validate(g);
  }

  /** Check a group's options; throw naming the bad one. */
  protected abstract validate(group: ParamGroup<O>): void;

  /** Compute and assign the new value of one parameter (called under noGrad inside tidy). */
  protected abstract update(p: Tensor, grad: Tensor, group: ParamGroup<O>, state: ParamState): void;

  /** The learning rate of the first group (convenience for single-group optimizers). */
  get lr(): number {
    return this.paramGroups[0].lr;
  }
  set lr(v: number) {
    for (const g of this.paramGroups) g.lr = v;
  }

  /** One update of every parameter that has a .grad. */
  step(): void {
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          if (!p.grad) continue;
          let st = this.state.get(p);
          if (!st) {
            st = {};
            this.state.set(p, st);
          }
          const state = st;
          tidy(() => this.update(p, p.grad!, group, state));
        }
      }
    });
  }

  /** Replace a state tensor: the new one outlives the step's tidy, the old one is freed. */
  protected setState(state: ParamState, key: string, t: Tensor): Tensor {
    const old = state[key];
    keep(t);
    state[key] = t;
    if (typeof old === 'object' && old !== t) old.dispose();
    return t;
  }

  /** Drop every parameter's .grad (torch's zero_grad(set_to_none=True)). */
  zeroGrad(): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (p.grad) {
          p.grad.dispose();
          p.grad = null;
        }
      }
    }
  }

  /** Free the optimizer's state tensors. */
  dispose(): void {
    for (const st of this.state.values()) for (const v of Object.values(st)) if (typeof v === 'object') v.dispose();
    this.state.clear();
  }
}
