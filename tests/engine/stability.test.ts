// Numerical stability: huge logits, fully masked rows, layer norm on a large mean.
import { describe, expect, it } from 'vitest';
import * as T from '../../src/engine/index.ts';
import { expectClose } from './helpers.ts';

describe('numerical stability', () => {
  it('softmax and logSoftmax of logits around 1000 are finite and exact', async () => {
    const x = T.tensor([[1000, 1001, 1002], [-1000, -1000, -1000]]);
    const p = await T.softmax(x, -1).data();
    // reference: softmax([0, 1, 2]) and a uniform row
    const e = [1, Math.E, Math.E ** 2];
    const z = e[0] + e[1] + e[2];
    expectClose(p, [e[0] / z, e[1] / z, e[2] / z, 1 / 3, 1 / 3, 1 / 3], 1e-6, 1e-5);
    const lp = await T.logSoftmax(x, -1).data();
    expectClose(lp, [-2 - Math.log(1 + Math.exp(-1) + Math.exp(-2)) + 0, -1 - Math.log(1 + Math.exp(-1) + Math.exp(-2)), -Math.log(1 + Math.exp(-1) + Math.exp(-2)), -Math.log(3), -Math.log(3), -Math.log(3)], 1e-5, 1e-5);
  });

  it('cross-entropy with logits of 1000 is finite, with finite gradients', async () => {
    const logits = T.tensor([[1000, 0, -1000], [0, 1000, 0]], { requiresGrad: true });
    const loss = T.crossEntropy(logits, T.tensor([0, 2], { dtype: 'int32' }));
    expectClose([await loss.item()], [(0 + 1000) / 2], 1e-3, 1e-6);
    loss.backward();
    for (const g of await logits.grad!.data()) expect(Number.isFinite(g)).toBe(true);
  });

  it('-Infinity entries get probability 0; a fully masked row gives NaN like torch', async () => {
    const x = T.tensor([[0, -Infinity, 0], [-Infinity, -Infinity, -Infinity]], { requiresGrad: true });
    const p = T.softmax(x, -1);
    const d = await p.data();
    expect(Array.from(d.slice(0, 3))).toEqual([0.5, 0, 0.5]);
    expect(Array.from(d.slice(3)).every(Number.isNaN)).toBe(true);
    // a partly masked row's gradient is finite and 0 at the masked entry
    const row = T.tensor([[0, -Infinity, 1]], { requiresGrad: true });
    T.softmax(row, -1).mul(T.tensor([[1, 2, 3]])).sum().backward();
    const g = await row.grad!.data();
    expect(g[1] === 0).toBe(true); // torch gives -0 here too
    expect(Number.isFinite(g[0]) && Number.isFinite(g[2])).toBe(true);
    expect(await T.logsumexp(T.tensor([-Infinity, -Infinity]), 0).item()).toBe(-Infinity);
  });

  it('cross-entropy ignores -Infinity logits of non-target classes', async () => {
    const logits = T.tensor([[0, -Infinity, 0]], { requiresGrad: true });
    const loss = T.crossEntropy(logits, T.tensor([0], { dtype: 'int32' }));
    expectClose([await loss.item()], [Math.log(2)], 1e-6, 1e-6);
    loss.backward();
    expect(Array.from(await logits.grad!.data())).toEqual([-0.5, 0, 0.5]);
  });

  it('layerNorm on 1e4 + small noise normalises the noise exactly', async () => {
    const noise = [0.5, -0.25, 0.125, -0.375, 0, 0.25, -0.125, -0.125];
    const x = T.tensor([noise.map((v) => 1e4 + v)]);
    const y = await T.layerNorm(x, [8]).data();
    const m = noise.reduce((a, b) => a + b) / 8;
    const v = noise.reduce((a, b) => a + (b - m) ** 2, 0) / 8;
    expectClose(y, noise.map((n) => (n - m) / Math.sqrt(v + 1e-5)), 1e-4, 1e-4);
  });
});
