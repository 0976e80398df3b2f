// nn.Module: a tree of named parameters, buffers and submodules whose dotted names and
// layouts equal PyTorch's state_dict(), so weights move between the two unchanged.
//
// Calling convention: a module is called through `m.forward(...)`. JavaScript has no
// `__call__`, and a callable object (Proxy or function) would hide the types, so the book
// writes `model.forward(x)` where PyTorch writes `model(x)`.
import { Tensor } from '../tensor.ts';
import { noGrad } from '../autograd.ts';
import { keep } from '../memory.ts';
import { tensor } from '../ops/creation.ts';
import { fmtShape, shapesEqual } from '../shape.ts';

/** A state-dict value: a tensor, or plain `{ shape, data }` (e.g. parsed from JSON). */
export type StateDictValue = Tensor | { readonly shape: readonly number[]; readonly data: ArrayLike<number> };

export interface LoadStateDictOptions {
  /** Require the keys to match exactly (default true, like torch). */
  strict?: boolean;
}

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** Mark a float32 tensor as a trainable parameter (requiresGrad = true) and return it. */
export function parameter(t: Tensor): Tensor {
  if (t.dtype !== 'float32') throw new Error(`parameter: parameters must be float32, got ${t.dtype}`);
  if (!t.isLeaf) throw new Error('parameter: expected a leaf tensor (use detach() on a computed one)');
  t.requiresGrad = true;
  return t;
}

function checkName(kind: string, name: string): void {
  if (name === '' || name.includes('.')) {
    throw new Error(`Module.register${kind}: name must be non-empty and contain no '.', got ${JSON.stringify(name)}`);
  }
}

export abstract class Module {
  /** Train mode (dropout active) vs eval mode; set with train() / eval(). */
  training = true;
  private readonly _parameters = new Map<string, Tensor | null>();
  private readonly _buffers = new Map<string, Tensor | null>();
  private readonly _nonPersistent = new Set<string>();
  private readonly _modules = new Map<string, Module | null>();

  /** The computation. Each module documents its own arguments and return value. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  abstract forward(...args: any[]): unknown;

  /** Add (or replace) a parameter under `name`; it is made trainable. Returns it. */
  registerParameter<T extends Tensor | null>(name: string, t: T): T {
    checkName('Parameter', name);
    if (this._buffers.has(name) || this._modules.has(name)) throw new Error(`Module.registerParameter: '${name}' is already a buffer or submodule`);
    // a module owns its parameters: they outlive any tidy() the module was built in
    if (t) keep(parameter(t));
    this._parameters.set(name, t);
    return t;
  }

  /** Add a buffer: state that is not trained (persistent ones go into the state dict). */
  registerBuffer<T extends Tensor | null>(name: string, t: T, opts: { persistent?: boolean } = {}): T {
    checkName('Buffer', name);
    if (this._parameters.has(name) || this._modules.has(name)) throw new Error(`Module.registerBuffer: '${name}' is already a parameter or submodule`);
    if (t) keep(t);
    this._buffers.set(name, t);
    if (opts.persistent === false) this._nonPersistent.add(name);
    else this._nonPersistent.delete(name);
    return t;
  }

  /** Add a child module under `name` (its parameters appear as `name.<...>`). Returns it. */
  registerModule<M extends Module | null>(name: string, m: M): M {
    checkName('Module', name);
    if (this._parameters.has(name) || this._buffers.has(name)) throw new Error(`Module.registerModule: '${name}' is already a parameter or buffer`);
    this._modules.set(name, m);
    return m;
  }

  /** The parameter registered here under `name` (not dotted). */
  getParameter(name: string): Tensor | null {
    if (!this._parameters.has(name)) throw new Error(`${this.constructor.name}: no parameter '${name}' (has ${[...this._parameters.keys()].join(', ') || 'none'})`);
    return this._parameters.get(name) ?? null;
  }

  getBuffer(name: string): Tensor | null {
    if (!this._buffers.has(name)) throw new Error(`${this.constructor.name}: no buffer '${name}'`);
    return this._buffers.get(name) ?? null;
  }

  /** A descendant by dotted path, e.g. 'blocks.0.self_attn'. '' is this module. */
  getSubmodule(path: string): Module {
    let m: Module = this;
    if (path === '') return m;
    for (const part of path.split('.')) {
      const next = m._modules.get(part);
      if (!next) throw new Error(`getSubmodule: ${m.constructor.name} has no submodule '${part}' (path '${path}')`);
      m = next;
    }
    return m;
  }

  /** Direct children with their names. */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    for (const [n, m] of this._modules) if (m) out.push([n, m]);
    return out;
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every descendant, depth-first, each once, with dotted names ('' = this). */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const walk = (m: Module, name: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([name, m]);
      for (const [n, c] of m._modules) if (c) walk(c, name ? `${name}.${n}` : n);
    };
    walk(this, prefix);
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /**
   * Parameters with dotted names like torch's named_parameters(): this module's own first,
   * then each child's; a tensor shared by several modules (tied weights) appears once.
   */
  namedParameters(prefix = '', recurse = true): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    const mods: [string, Module][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [mName, m] of mods) {
      for (const [n, p] of m._parameters) {
        if (!p || seen.has(p)) continue;
        seen.add(p);
        out.push([mName ? `${mName}.${n}` : n, p]);
      }
    }
    return out;
  }

  parameters(recurse = true): Tensor[] {
    return this.namedParameters('', recurse).map(([, p]) => p);
  }

  namedBuffers(prefix = '', recurse = true): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    const mods: [string, Module][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [mName, m] of mods) {
      for (const [n, b] of m._buffers) {
        if (!b || seen.has(b)) continue;
        seen.add(b);
        out.push([mName ? `${mName}.${n}` : n, b]);
      }
    }
    return out;
  }

  buffers(recurse = true): Tensor[] {
    return this.namedBuffers('', recurse).map(([, b]) => b);
  }

  /** Number of trainable scalars (tied weights counted once). */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** Set train mode (dropout on) on this module and every descendant. Returns this. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Set eval mode (dropout off). Returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Freeze (false) or unfreeze (true) every parameter, e.g. a teacher model in distillation. Returns this. */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }

  /** Call fn on every descendant and this module (children first, like torch). Returns this. */
  apply(fn: (m: Module) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  /** Drop every parameter's .grad (torch's zero_grad(set_to_none=True)). */
  zeroGrad(): void {
    for (const p of this.parameters()) {
      if (p.grad) {
        p.grad.dispose();
        p.grad = null;
      }
    }
  }

  /**
   * Parameters and persistent buffers by torch state_dict() name, in torch's order. A tied
   * tensor appears under each of its names. The values ARE the module's tensors: read them,
   * don't dispose them.
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    const walk = (m: Module, prefix: string): void => {
      for (const [n, p] of m._parameters) if (p) out[prefix + n] = p;
      for (const [n, b] of m._buffers) if (b && !m._nonPersistent.has(n)) out[prefix + n] = b;
      for (const [n, c] of m._modules) if (c) walk(c, `${prefix}${n}.`);
    };
    walk(this, '');
    return out;
  }

  /**
   * Copy values into this module's parameters and buffers by state-dict name (a PyTorch
   * state_dict exported as {name: {shape, data}} loads directly). Everything is checked
   * before anything is written: shape mismatches always throw; with strict (default) missing
   * or unexpected keys throw too, listing them.
   */
  loadStateDict(dict: Record<string, StateDictValue> | Map<string, StateDictValue>, opts: LoadStateDictOptions = {}): LoadStateDictResult {
    const strict = opts.strict ?? true;
    const entries = dict instanceof Map ? dict : new Map(Object.entries(dict));
    const own = this.stateDict();
    const missingKeys = Object.keys(own).filter((k) => !entries.has(k));
    const unexpectedKeys = [...entries.keys()].filter((k) => !(k in own));
    const mismatches: string[] = [];
    for (const [k, target] of Object.entries(own)) {
      const v = entries.get(k);
      if (v === undefined) continue;
      const shape = v.shape;
      const n = v instanceof Tensor ? v.size : v.data.length;
      if (!shapesEqual(shape, target.shape)) {
        mismatches.push(`${k}: checkpoint ${fmtShape(shape)}, model ${fmtShape(target.shape)}`);
      } else if (!(v instanceof Tensor) && n !== target.size) {
        mismatches.push(`${k}: shape ${fmtShape(shape)} needs ${target.size} values, got ${n}`);
      }
    }
    const problems: string[] = [];
    if (mismatches.length > 0) problems.push(`size mismatch for ${mismatches.join('; ')}`);
    if (strict && missingKeys.length > 0) problems.push(`missing keys: ${missingKeys.join(', ')}`);
    if (strict && unexpectedKeys.length > 0) problems.push(`unexpected keys: ${unexpectedKeys.join(', ')}`);
    if (problems.length > 0) {
      throw new Error(`loadStateDict: error(s) loading state dict for ${this.constructor.name}: ${problems.join('. ')}`);
    }
    noGrad(() => {
      for (const [k, target] of Object.entries(own)) {
        const v = entries.get(k);
        if (v === undefined) continue;
        if (v instanceof Tensor) {
          target.assign(v);
        } else {
          const t = tensor(Float32Array.from(v.data), { shape: v.shape });
          target.assign(t);
          t.dispose();
        }
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  /** Dispose every parameter and buffer (and their grads). The module is unusable after. */
  dispose(): void {
    for (const p of this.parameters()) p.dispose();
    for (const b of this.buffers()) b.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Constructor arguments shown by toString(), like torch's extra_repr. */
  extraRepr(): string {
    return '';
  }

  /** torch-style summary: `GPT(\n  (tok_emb): Embedding(50, 32)\n  ...)`. */
  toString(): string {
    const children = this.namedChildren();
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (children.length === 0) return `${head})`;
    const lines = children.map(([n, m]) => `  (${n}): ${m.toString().split('\n').join('\n  ')}`);
    return `${head}\n${lines.join('\n')}\n)`;
  }
}

/** Holds submodules under the names '0', '1', ... like torch.nn.ModuleList. */
export class ModuleList<M extends Module = Module> extends Module {
  private readonly items: M[] = [];

  constructor(modules: Iterable<M> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  append(m: M): this {
    this.registerModule(String(this.items.length), m);
    this.items.push(m);
    return this;
  }

  get length(): number {
    return this.items.length;
  }

  /** The i-th module (negative i counts from the end). */
  at(i: number): M {
    const j = i < 0 ? i + this.items.length : i;
    const m = this.items[j];
    if (!m) throw new Error(`ModuleList: index ${i} out of range for length ${this.items.length}`);
    return m;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.items[Symbol.iterator]();
  }

  forward(): never {
    throw new Error('ModuleList has no forward(): iterate over it and call each module');
  }
}

/** Applies its modules in order, each to the previous one's output (torch.nn.Sequential). */
export class Sequential extends Module {
  private readonly items: Module[];

  constructor(...modules: Module[]) {
    super();
    this.items = modules;
    modules.forEach((m, i) => this.registerModule(String(i), m));
  }

  get length(): number {
    return this.items.length;
  }

  at(i: number): Module {
    const m = this.items[i < 0 ? i + this.items.length : i];
    if (!m) throw new Error(`Sequential: index ${i} out of range for length ${this.items.length}`);
    return m;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.items[Symbol.iterator]();
  }

  forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this.items) {
      const next = m.forward(y);
      if (!(next instanceof Tensor)) throw new Error(`Sequential: ${m.constructor.name}.forward did not return a single Tensor`);
      // intermediate outputs are not the caller's: free them (the graph keeps what backward needs)
      if (y !== x) y.dispose();
      y = next;
    }
    return y === x ? x.clone() : y;
  }
}
