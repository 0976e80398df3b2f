// Autograd semantics: accumulation, graph freeing, noGrad, detach, assign, retainGrad.
import { describe, expect, it } from 'vitest';
import * as T from '../../src/engine/index.ts';

const vals = async (t: T.Tensor | null) => Array.from(await t!.data());

describe('autograd', () => {
  it('gradients accumulate across backward calls until zeroGrad', async () => {
    const x = T.tensor([1, 2, 3], { requiresGrad: true });
    x.mul(x).sum().backward();
    x.mul(3).sum().backward();
    expect(await vals(x.grad)).toEqual([5, 7, 9]);
    T.zeroGrad([x]);
    expect(x.grad).toBeNull();
  });

  it('a tensor used twice sums both paths', async () => {
    const x = T.tensor(3, { requiresGrad: true });
    const y = x.mul(x).add(x.exp());
    y.backward();
    expect(await x.grad!.item()).toBeCloseTo(6 + Math.exp(3), 4);
  });

  it('backward twice on a freed graph is a clear error; retainGraph allows it', async () => {
    const x = T.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2).sum();
    y.backward();
    expect(() => y.backward()).toThrow(/backward through the graph a second time.*retainGraph: true/);
    const z = x.mul(2).sum();
    z.backward(null, { retainGraph: true });
    z.backward();
    expect(await vals(x.grad)).toEqual([6, 6]);
  });

  it('noGrad records nothing; detach cuts the graph; requiresGrad_ makes a leaf', async () => {
    const x = T.ones([2], { requiresGrad: true });
    const y = T.noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(T.isGradEnabled()).toBe(true);
    const d = x.mul(2).detach();
    expect(d.requiresGrad).toBe(false);
    const leaf = T.zeros([2]).requiresGrad_();
    expect(leaf.requiresGrad && leaf.isLeaf).toBe(true);
    const z = x.mul(d).sum(); // d is a constant
    z.backward();
    expect(await vals(x.grad)).toEqual([2, 2]);
  });

  it('backward with an explicit gradient and retainGrad on a non-leaf', async () => {
    const x = T.tensor([1, 2], { requiresGrad: true });
    const h = x.mul(3).retainGrad();
    const y = h.square();
    y.backward(T.tensor([1, 10]));
    expect(await vals(h.grad)).toEqual([6, 120]);
    expect(await vals(x.grad)).toEqual([18, 360]);
  });

  it('intermediates disposed by tidy still backpropagate', async () => {
    const w = T.tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const loss = T.tidy(() => w.matmul(w).tanh().mul(0.1).sum());
    loss.backward();
    expect(w.grad!.shape).toEqual([2, 2]);
    for (const g of await vals(w.grad)) expect(Number.isFinite(g)).toBe(true);
  });

  it('assign replaces a parameter value without a graph', async () => {
    const p = T.tensor([1, 2], { requiresGrad: true });
    const view = p.reshape(2, 1);
    p.assign(T.tensor([5, 6]));
    expect(await vals(p)).toEqual([5, 6]);
    expect(await vals(view)).toEqual([1, 2]); // earlier views keep the old data
    expect(p.requiresGrad && p.isLeaf).toBe(true);
    p.assign(0);
    expect(await vals(p)).toEqual([0, 0]);
    expect(() => p.assign(T.zeros([3]))).toThrow('assign: value shape [3] does not match tensor shape [2]');
    expect(() => p.mul(2).assign(T.zeros([2]))).toThrow(/^assign: only leaf tensors/);
  });

  it('integer and comparison results do not require grad', () => {
    const x = T.ones([3], { requiresGrad: true });
    expect(x.gt(0).requiresGrad).toBe(false);
    expect(x.argmax().requiresGrad).toBe(false);
    expect(x.int().requiresGrad).toBe(false);
  });

  it('a long chain (unrolled RNN-like) does not overflow the stack', async () => {
    const x = T.tensor([0.5], { requiresGrad: true });
    let h = x;
    for (let i = 0; i < 20000; i++) h = h.mul(1);
    h.sum().backward();
    expect(await vals(x.grad)).toEqual([1]);
  });
});
