// The optimizer base: parameter groups (torch's param_groups), per-parameter state tensors,
// zeroGrad. Updates run under noGrad inside tidy and write parameters with assign(), so a
// training loop keeps a constant number of live tensors.
import { Tensor } from '../tensor.ts';
import { noGrad } from '../autograd.ts';
import { keep, tidy } from '../memory.ts';
import { tensor } from '../ops/creation.ts';
import { fmtShape, shapesEqual } from '../shape.ts';

/** Options shared by every optimizer: a learning rate. */
export interface BaseOptions {
  lr: number;
}

/** One parameter group: its tensors and its (fully resolved) options. `lr` may be changed. */
export type ParamGroup<O extends BaseOptions> = O & { params: Tensor[] };

/** Parameters as a flat list, or as groups that override some options (e.g. no weight decay). */
export type ParamsArg<O extends BaseOptions> = Iterable<Tensor> | readonly ({ params: Iterable<Tensor> } & Partial<O>)[];

export type ParamState = Record<string, Tensor | number>;

/** A tensor, or one exported to JSON as {shape, data} (a 0-d one may be a plain number). */
export type OptimizerStateValue = Tensor | number | { readonly shape: readonly number[]; readonly data: ArrayLike<number> };

/**
 * torch's optimizer.state_dict(): per-parameter state by the parameter's index across groups
 * (exp_avg, exp_avg_sq, max_exp_avg_sq, momentum_buffer, step), and each group's options with
 * its parameters' indices. Names are torch's, so one exported from PyTorch to JSON loads.
 */
export interface OptimizerStateDict {
  state: Record<number, Record<string, OptimizerStateValue>>;
  param_groups: (Record<string, unknown> & { params: number[] })[];
}

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (name: string): string => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

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

  /** The state as torch names it, with copies of the state tensors (dispose them, or tidy). */
  stateDict(): OptimizerStateDict {
    const state: OptimizerStateDict['state'] = {};
    let index = 0;
    const param_groups = this.paramGroups.map(({ params, ...options }) => ({
      ...Object.fromEntries(Object.entries(options).map(([k, v]) => [snake(k), v])),
      params: params.map((p) => {
        const st = this.state.get(p);
        if (st) state[index] = Object.fromEntries(Object.entries(st).map(([k, v]) => [snake(k), typeof v === 'number' ? v : v.clone()]));
        return index++;
      }),
    }));
    return { state, param_groups };
  }

  /**
   * Resume from stateDict() (this optimizer's or PyTorch's): the same number of groups and
   * parameters, state tensors shaped like their parameters. Options torch has and this
   * optimizer does not (maximize, foreach, ...) are ignored. Checked before anything changes.
   */
  loadStateDict(dict: OptimizerStateDict): void {
    const name = `${this.constructor.name}.loadStateDict`;
    const groups = dict.param_groups;
    if (!Array.isArray(groups) || groups.length !== this.paramGroups.length) {
      throw new Error(`${name}: the state has ${Array.isArray(groups) ? groups.length : 'no'} parameter groups, this optimizer ${this.paramGroups.length}`);
    }
    const params: Tensor[] = [];
    groups.forEach((g, i) => {
      const own = this.paramGroups[i].params;
      if (!Array.isArray(g.params) || g.params.length !== own.length) {
        throw new Error(`${name}: group ${i} has ${Array.isArray(g.params) ? g.params.length : 'no'} parameters in the state, ${own.length} here`);
      }
      g.params.forEach((id, j) => { params[id] = own[j]; });
    });
    const next = new Map<Tensor, Record<string, OptimizerStateValue>>();
    for (const [id, entries] of Object.entries(dict.state ?? {})) {
      const p = params[Number(id)];
      if (!p) throw new Error(`${name}: state for parameter ${id}, which no group lists`);
      for (const [k, v] of Object.entries(entries)) {
        if (typeof v === 'number') continue;
        if (k === 'step') {
          if (v instanceof Tensor) throw new Error(`${name}: step of parameter ${id} is a tensor; give its number (await t.item())`);
          continue;
        }
        if (!shapesEqual(v.shape, p.shape)) throw new Error(`${name}: ${k} of parameter ${id} is ${fmtShape(v.shape)}, the parameter ${fmtShape(p.shape)}`);
        if (!(v instanceof Tensor) && v.data.length !== p.size) throw new Error(`${name}: ${k} of parameter ${id} has ${v.data.length} values for shape ${fmtShape(v.shape)}`);
      }
      next.set(p, entries);
    }
    // The groups' new options, validated before any is applied.
    const options = groups.map((g, i) => {
      const merged: ParamGroup<O> = { ...this.paramGroups[i] };
      const fields = merged as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(g)) if (k !== 'params' && camel(k) in fields) fields[camel(k)] = Array.isArray(v) ? [...v] : v;
      this.validate(merged);
      return merged;
    });
    options.forEach((o, i) => Object.assign(this.paramGroups[i], o));
    this.dispose();
    noGrad(() => {
      for (const [p, entries] of next) {
        const st: ParamState = {};
        for (const [k, v] of Object.entries(entries)) {
          if (typeof v === 'number') st[camel(k)] = v;
          else if (k === 'step') st.step = Number((v as { data: ArrayLike<number> }).data[0]);
          else st[camel(k)] = keep(v instanceof Tensor ? v.clone() : tensor(Float32Array.from(v.data), { shape: [...v.shape] }));
        }
        this.state.set(p, st);
      }
    });
  }

  /** Free the optimizer's state tensors. */
  dispose(): void {
    for (const st of this.state.values()) for (const v of Object.values(st)) if (typeof v === 'object') v.dispose();
    this.state.clear();
  }
}
