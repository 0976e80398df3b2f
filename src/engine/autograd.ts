// Reverse-mode autograd: recording primitive applications and running backward over them.
import type { Tensor } from './tensor.ts';
import { withGraphAccess } from './tensor.ts';
import { keep, tidy } from './memory.ts';
import { fmtShape, shapesEqual } from './shape.ts';
import { vjpRule } from './vjp.ts';
import { binaryP, castP, cloneRaw, fillP } from './primitives.ts';

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Run fn without recording a graph (inference, parameter updates). */
export function noGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/** Run fn with recording switched back on (inside a noGrad). */
export function enableGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = true;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/** Attach a grad node to `out` if grad mode is on and some input requires grad. */
export function record(op: string, inputs: Tensor[], out: Tensor, params: unknown = null): Tensor {
  if (!gradEnabled) return out;
  let any = false;
  for (const t of inputs) if (t.requiresGrad) { any = true; break; }
  if (!any) return out;
  if (!vjpRule(op)) throw new Error(`autograd: primitive '${op}' has no VJP rule`);
  out._setRequiresGrad(true);
  out._node = { op, inputs, params };
  out._gradFn = op;
  for (const t of inputs) t._retain();
  return out;
}

export interface BackwardOptions {
  /** Keep the graph so backward can run through it again (default false). */
  retainGraph?: boolean;
}

/** Tensors reachable from root through live grad nodes, in topological order (inputs first). */
function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // iterative DFS: long unrolled RNN graphs would overflow the call stack
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [t, i] = top;
    const inputs = t._node ? t._node.inputs : [];
    if (i < inputs.length) {
      top[1]++;
      const inp = inputs[i];
      if (inp.requiresGrad && !visited.has(inp)) {
        visited.add(inp);
        stack.push([inp, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order;
}

const freedMessage =
  'backward: trying to backward through the graph a second time (or use a result after its graph was freed); ' +
  'pass { retainGraph: true } to the first backward() if you need to backward twice';

export function backward(root: Tensor, grad?: Tensor | null, opts: BackwardOptions = {}): void {
  root._assertLive('backward');
  if (!root.requiresGrad) {
    throw new Error('backward: tensor does not require grad (none of the tensors it was computed from has requiresGrad = true, or it was made under noGrad)');
  }
  if (root._graphFreed) throw new Error(freedMessage);
  if (!grad) {
    if (root.size !== 1) {
      throw new Error(`backward: grad can be implicitly created only for one-element outputs; got shape ${fmtShape(root.shape)} — pass a grad tensor`);
    }
  } else {
    grad._assertLive('backward');
    if (!shapesEqual(grad.shape, root.shape)) {
      throw new Error(`backward: grad shape ${fmtShape(grad.shape)} does not match tensor shape ${fmtShape(root.shape)}`);
    }
  }
  const retain = opts.retainGraph === true;
  const order = topoOrder(root);
  for (const t of order) {
    if (!t._node && t._graphFreed) throw new Error(freedMessage);
    t._retain(); // nodes are freed as we go; keep every tensor alive until the end
  }
  try {
    noGrad(() => tidy(() => {
      const grads = new Map<Tensor, Tensor>();
      grads.set(root, grad ? castP(grad, 'float32') : fillP(root.shape, 'float32', 1, root._storage.backend));
      for (let idx = order.length - 1; idx >= 0; idx--) {
        const t = order[idx];
        const g = grads.get(t);
        if (!g) continue;
        grads.delete(t);
        const node = t._node;
        if (!node || t._retainsGrad) accumulate(t, g);
        if (!node) continue;
        const inputGrads = withGraphAccess(() => vjpRule(node.op)!(g, { inputs: node.inputs, out: t, params: node.params }));
        for (let i = 0; i < node.inputs.length; i++) {
          const inp = node.inputs[i];
          const ig = inputGrads[i];
          if (!inp.requiresGrad || !ig) continue;
          if (!shapesEqual(ig.shape, inp.shape)) {
            throw new Error(`autograd: VJP of '${node.op}' returned grad ${fmtShape(ig.shape)} for input ${fmtShape(inp.shape)}`);
          }
          const prev = grads.get(inp);
          grads.set(inp, prev ? binaryP('add', prev, ig) : ig);
        }
        if (!retain) {
          t._releaseNode();
          t._graphFreed = true;
        }
      }
    }));
  } finally {
    for (const t of order) t._unref();
  }
}

function accumulate(t: Tensor, g: Tensor): void {
  if (t.isDisposed) return;
  const prev = t.grad;
  const next = prev ? binaryP('add', prev, g) : cloneRaw(g);
  if (prev) prev.dispose();
  t.grad = keep(next);
}
