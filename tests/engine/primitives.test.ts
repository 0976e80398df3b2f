// Finite-difference gradient checks for every differentiable primitive (the VJP table).
import { describe, expect, it } from 'vitest';
import * as T from '../../src/engine/index.ts';
import type { Tensor } from '../../src/engine/index.ts';
import { gradCheck, randData, randTensor } from './helpers.ts';

/** Values bounded away from 0 (kinks of abs/relu, poles of div). */
function awayFromZero(shape: number[], seed: number): Tensor {
  const d = randData(shape.reduce((a, b) => a * b, 1), seed);
  return T.tensor(d.map((v) => Math.sign(v || 1) * (0.3 + Math.abs(v))), { shape, requiresGrad: true });
}

/** Distinct values spaced 0.1 apart, shuffled (no near-ties for max). */
function distinct(shape: number[], seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const g = new T.Generator(seed);
  const vals = Array.from({ length: n }, (_, i) => (i - n / 2) * 0.1);
  for (let i = n - 1; i > 0; i--) {
    const j = g.randint(0, i + 1);
    [vals[i], vals[j]] = [vals[j], vals[i]];
  }
  return T.tensor(vals, { shape, requiresGrad: true });
}

type Case = () => Promise<void>;

const cases: Record<string, Case> = {
  add: () => gradCheck(T.add, [randTensor([2, 1, 3], 1), randTensor([4, 1], 2)]),
  sub: () => gradCheck(T.sub, [randTensor([2, 3], 1), randTensor([3], 2)]),
  mul: () => gradCheck(T.mul, [randTensor([3, 1], 1), randTensor([1, 4], 2)]),
  div: () => gradCheck(T.div, [randTensor([2, 3], 1), awayFromZero([3], 2)]),
  pow: () => gradCheck(T.pow, [randTensor([2, 3], 1, 0.5, 1.5), randTensor([3], 2, -1, 2)]),
  maximum: () => {
    const a = randTensor([2, 3], 1);
    const b = T.noGrad(() => a.add(T.tensor([0.3, -0.3, 0.5]))).detach().requiresGrad_();
    return gradCheck(T.maximum, [a, b]);
  },
  minimum: () => {
    const a = randTensor([2, 3], 1);
    const b = T.noGrad(() => a.add(T.tensor([0.3, -0.3, 0.5]))).detach().requiresGrad_();
    return gradCheck(T.minimum, [a, b]);
  },
  neg: () => gradCheck(T.neg, [randTensor([2, 3], 1)]),
  exp: () => gradCheck(T.exp, [randTensor([2, 3], 1)]),
  log: () => gradCheck(T.log, [randTensor([2, 3], 1, 0.5, 2)]),
  sqrt: () => gradCheck(T.sqrt, [randTensor([2, 3], 1, 0.5, 2)]),
  abs: () => gradCheck(T.abs, [awayFromZero([2, 3], 1)]),
  tanh: () => gradCheck(T.tanh, [randTensor([2, 3], 1, -2, 2)]),
  sigmoid: () => gradCheck(T.sigmoid, [randTensor([2, 3], 1, -3, 3)]),
  relu: () => gradCheck(T.relu, [awayFromZero([2, 3], 1)]),
  sin: () => gradCheck(T.sin, [randTensor([2, 3], 1, -3, 3)]),
  cos: () => gradCheck(T.cos, [randTensor([2, 3], 1, -3, 3)]),
  erf: () => gradCheck(T.erf, [randTensor([2, 3], 1, -2, 2)]),
  where: () => {
    const cond = T.tensor([[true, false, true]]);
    return gradCheck((a, b) => T.where(cond, a, b), [randTensor([2, 3], 1), randTensor([2, 1], 2)]);
  },
  cast: () => gradCheck((a) => a.clone(), [randTensor([2, 3], 1)]),
  sum: async () => {
    await gradCheck((a) => a.sum(), [randTensor([2, 3, 4], 1)], { name: 'sum all' });
    await gradCheck((a) => a.sum([0, 2], true), [randTensor([2, 3, 4], 2)], { name: 'sum [0,2] keepdim' });
    await gradCheck((a) => a.sum(-1), [randTensor([2, 3, 4], 3)], { name: 'sum -1' });
  },
  max: async () => {
    await gradCheck((a) => a.max(1), [distinct([3, 4], 1)], { name: 'max dim 1' });
    await gradCheck((a) => a.max([0, 2], true), [distinct([2, 3, 2], 2)], { name: 'max [0,2]' });
    // ties share the gradient equally (torch amax)
    const x = T.tensor([1, 3, 3], { requiresGrad: true });
    x.max().backward();
    expect(Array.from(await x.grad!.data())).toEqual([0, 0.5, 0.5]);
  },
  matmul: async () => {
    await gradCheck(T.matmul, [randTensor([3, 4], 1), randTensor([4, 2], 2)], { name: '2-D' });
    await gradCheck(T.matmul, [randTensor([2, 1, 3, 4], 3), randTensor([3, 4, 2], 4)], { name: 'broadcast batch' });
    await gradCheck(T.matmul, [randTensor([4], 5), randTensor([4, 3], 6)], { name: '1-D @ 2-D' });
    await gradCheck((a, w) => T.linear(a, w), [randTensor([2, 3, 4], 7), randTensor([5, 4], 8)], { name: 'linear (a @ wᵀ)' });
    await gradCheck((a, b) => T.matmul(a.mT, b), [randTensor([2, 4, 3], 9), randTensor([2, 4, 5], 10)], { name: 'aᵀ @ b' });
  },
  reshape: () => gradCheck((a) => a.reshape(4, -1).mul(T.arange(6).float()), [randTensor([2, 3, 4], 1)]),
  permute: () => gradCheck((a) => a.permute(2, 0, 1), [randTensor([2, 3, 4], 1)]),
  expand: () => gradCheck((a) => a.expand(2, 3, 4), [randTensor([3, 1], 1)]),
  slice: () => gradCheck((a) => a.slice(1, 1, 7, 2), [randTensor([3, 8], 1)]),
  pad: () => gradCheck((a) => T.pad(a, [1, 2, 0, 1], 0.5), [randTensor([2, 3], 1)]),
  cat: () => gradCheck((a, b) => T.cat([a, b], 1), [randTensor([2, 1], 1), randTensor([2, 3], 2)]),
  gather: () => {
    const idx = T.tensor([[0, 4, 4], [2, 1, 0]], { dtype: 'int32' });
    return gradCheck((a) => T.gather(a, 1, idx), [randTensor([2, 5], 1)]);
  },
  scatterAdd: () => {
    const idx = T.tensor([[0, 4, 4], [2, 1, 0]], { dtype: 'int32' });
    return gradCheck((a, s) => T.scatterAdd(a, 1, idx, s), [randTensor([2, 5], 1), randTensor([2, 3], 2)]);
  },
};

describe('VJP of every primitive matches finite differences', () => {
  it('every primitive in the VJP table has a check here', () => {
    expect(Object.keys(cases).sort()).toEqual([...T.PRIMITIVES].sort());
  });
  for (const [name, run] of Object.entries(cases)) it(name, run);
});
