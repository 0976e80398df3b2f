// The CPU backend's fused kernels (backends/cpu-fused.ts) against its primitive composites (CPU
// fusion off), forward and backward through autograd, on the cases of fused-cases.ts (the same
// ones the WebGPU kernels meet, same tolerances), plus: forward values are the composites' bits
// on the CPU tiers, the switch really switches, and attention stays the composite.
import { afterAll, describe, expect, it } from 'vitest';
import * as T from '../../src/engine/index.ts';
import { cpuFusion, setCpuFusion } from '../../src/engine/backends/cpu-fused.ts';
import { cpuTier, setCpuTier, type CpuTier } from '../../src/engine/backends/cpu-wasm.ts';
import { ROW_TOL, compareFused, describeFusedRows, describeFusedStepsAndCells, expectClose, fusedHarness, randomArray, uniform } from './fused-cases.ts';

const h = fusedHarness('cpu', T.setBackend('cpu'));

describeFusedRows(h);
describeFusedStepsAndCells(h);

describe('CPU fused forward values', () => {
  const tier = cpuTier();
  afterAll(() => { setCpuTier(tier); setCpuFusion(true); });

  /**
   * fn run with fusion off, then on: the same bits, on the tier in effect, 'wasm' and 'js' (one with
   * SIMD exp, one with Math.exp: the fused kernels take the tier's exp, as the composites).
   */
  async function sameBits(fn: () => T.Tensor[], fused: string): Promise<void> {
    for (const t of new Set<CpuTier>([tier, 'wasm', 'js'])) {
      setCpuTier(t);
      const run = async (on: boolean) => {
        setCpuFusion(on);
        const outs = T.noGrad(fn);
        const data = await Promise.all(outs.map((x) => x.data()));
        outs.forEach((x) => x.dispose());
        return data;
      };
      const want = await run(false);
      const before = h.calls.get(fused) ?? 0;
      const got = await run(true);
      expect(h.calls.get(fused) ?? 0, `fused '${fused}' ran`).toBeGreaterThan(before);
      got.forEach((g, k) => expectClose(g, want[k], 0, `${fused} on '${t}', output ${k}`));
    }
  }

  it('softmax and log-softmax over rows of 33 and 130, with -inf entries and a fully -inf row', async () => {
    const x = randomArray(6 * 130, 5, [0, 7, 260, ...Array.from({ length: 130 }, (_, i) => 390 + i)]);
    await sameBits(() => [T.softmax(T.tensor(x, { shape: [6, 130] }), -1), T.softmax(T.tensor(x, { shape: [20, 39] }), 0)], 'softmax');
    await sameBits(() => [T.logSoftmax(T.tensor(x, { shape: [6, 130] }), -1), T.logSoftmax(T.tensor(x, { shape: [60, 13] }), 1)], 'softmax');
  });

  it('layer norm with and without affine, values near 1e3', async () => {
    const x = randomArray(7 * 33).map((v) => v + 1e3);
    const w = randomArray(33), b = randomArray(33);
    await sameBits(() => [
      T.layerNorm(T.tensor(x, { shape: [7, 33] }), 33, T.tensor(w), T.tensor(b)),
      T.layerNorm(T.tensor(x, { shape: [7, 33] }), 33),
    ], 'layerNorm');
  });

  it('cross-entropy per row, logits of 1000 and an ignored row', async () => {
    const x = randomArray(5 * 130, 1000);
    const t = Int32Array.from({ length: 5 }, (_, i) => (i === 2 ? -100 : Math.floor(uniform() * 130)));
    await sameBits(() => [T.crossEntropy(T.tensor(x, { shape: [5, 130] }), T.tensor(t, { dtype: 'int32' }), { reduction: 'none' })], 'crossEntropy');
  });

  it('an LSTM and a GRU run (the book\'s forecaster shape; in inference, the whole-layer kernel) and Adam steps', async () => {
    const x = randomArray(56 * 3);
    await sameBits(() => { T.manualSeed(3); const m = new T.nn.LSTM(3, 48, { batchFirst: true }); const r = m.forward(T.tensor(x, { shape: [1, 56, 3] }))[0]; m.dispose(); return [r]; }, 'rnnLayer');
    await sameBits(() => { T.manualSeed(4); const m = new T.nn.GRU(3, 33); const r = m.forward(T.tensor(x, { shape: [56, 1, 3] }))[0]; m.dispose(); return [r]; }, 'rnnLayer');
    const init = randomArray(130), grads = [0, 1, 2].map(() => randomArray(130, 0.1));
    await sameBits(() => {
      const p = T.tensor(init, { requiresGrad: true });
      const opt = new T.optim.AdamW([p], { lr: 0.01 });
      for (const g of grads) { p.grad = T.tensor(g); opt.step(); }
      opt.dispose();
      return [p];
    }, 'adam');
  });
});

describe('CPU fused backward without the kept exp terms', () => {
  it('cross-entropy and log-softmax backward after other forwards replaced them (computed again from x)', async () => {
    const x = randomArray(7 * 33, 5), x2 = randomArray(33 * 7);
    const t = Int32Array.from({ length: 7 }, () => Math.floor(uniform() * 33));
    await compareFused(h, () => {
      const xt = T.tensor(x, { shape: [7, 33], requiresGrad: true });
      const loss = T.crossEntropy(xt, T.tensor(t, { dtype: 'int32' }));
      const ls = T.logSoftmax(xt, 0); // same x, other layout
      const other = T.logSoftmax(T.tensor(x2, { shape: [33, 7] }), 1);
      loss.add(T.sum(ls.mul(T.tensor(x2, { shape: [7, 33] })))).backward();
      return [loss, ls, other, xt.grad!];
    }, ROW_TOL, 'crossEntropy then logSoftmax', ['crossEntropyBackward', 'softmaxBackward']);
  });

  it('cross-entropy over more logits than are kept (21 × 50,000)', async () => {
    const x = randomArray(21 * 50_000, 8);
    const t = Int32Array.from({ length: 21 }, (_, i) => (i === 4 ? -100 : Math.floor(uniform() * 50_000)));
    await compareFused(h, () => {
      const xt = T.tensor(x, { shape: [21, 50_000], requiresGrad: true });
      const loss = T.crossEntropy(xt, T.tensor(t, { dtype: 'int32' }), { reduction: 'sum' });
      loss.backward();
      return [loss, xt.grad!];
    }, ROW_TOL, 'crossEntropy 21 × 50,000', ['crossEntropy', 'crossEntropyBackward']);
  });
});

describe('the CPU fusion switch', () => {
  it('off: the composites run and no fused kernel does; on again: they do', () => {
    T.setBackend('cpu');
    const x = T.randn([4, 9], { requiresGrad: true });
    expect(setCpuFusion(false)).toBe(true);
    expect(cpuFusion()).toBe(false);
    T.softmax(x, -1).sum().backward();
    expect(h.calls.get('softmax') ?? 0).toBe(0);
    setCpuFusion(true);
    T.layerNorm(x, 9).sum().backward();
    expect(h.calls.get('layerNorm')).toBe(1);
    expect(h.calls.get('layerNormBackward')).toBe(1);
  });

  it('attention stays the composite on the CPU (its kernel declines)', () => {
    T.setBackend('cpu');
    const out = T.noGrad(() => T.scaledDotProductAttention(T.randn([2, 5, 8]), T.randn([2, 7, 8]), T.randn([2, 7, 8]), { isCausal: false }));
    expect(out.shape).toEqual([2, 5, 8]);
    expect(h.calls.get('attention') ?? 0).toBe(0);
  });
});
