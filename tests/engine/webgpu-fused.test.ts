// Fused WebGPU kernels against the CPU backend's primitive composites (the reference), forward
// and backward, on random inputs with awkward sizes (1, 7, 33, 130), logits of 1000, -Infinity
// entries and fully masked rows. Row kernels, Adam and the LSTM and GRU cells must agree to a normalised
// error |gpu − cpu| / max(1, |cpu|) ≤ 1e-6; attention (dot products summed in another order)
// to 5e-4; LSTM and GRU layers (matmuls inside) to 1e-5. Each case also checks that the fused kernel
// really ran. The reference runs with the CPU backend's own fused kernels off; all cases but the
// GPU-only ones live in fused-cases.ts, which cpu-fused.test.ts runs on the CPU's fused kernels.
import { afterAll, describe, expect, it } from 'vitest';
import * as T from '../../src/engine/index.ts';
import { compareFused, describeFusedRows, describeFusedStepsAndCells, fusedHarness, randomArray, sizeOf, uniform } from './fused-cases.ts';
import { webgpuForTests } from './webgpu-helpers.ts';

const gpu = await webgpuForTests('webgpu-fused.test.ts');
afterAll(() => { T.setBackend('cpu'); gpu?.destroy(); });

const h = gpu && fusedHarness('webgpu', gpu);
const ATTENTION_TOL = 5e-4;

describeFusedRows(h);
describeFusedStepsAndCells(h);

describe.skipIf(!gpu)('fused cross-entropy on the GPU', () => {
  it('a target computed on the GPU and out of range: the read rejects like the CPU, and the loss is NaN, never silently clamped', async () => {
    T.setBackend('webgpu');
    const t = T.tensor([1, 9]).int(); // made by a kernel: no host copy to validate against
    const loss = T.crossEntropy(T.zeros([2, 3]), t, { reduction: 'none' });
    await expect(loss.data()).rejects.toThrow('crossEntropy: target 9 out of range for 3 classes');
    const v = await loss.data(); // reported once; the values stay honest
    expect(v[0]).toBeCloseTo(Math.log(3), 6);
    expect(Number.isNaN(v[1])).toBe(true);
  });
});

describe.skipIf(!gpu)('fused attention (inference)', () => {
  interface Case { name: string; b: number[]; L: number; S: number; E: number; Ev: number; causal?: boolean; mask?: 'bool-pad' | 'float' | 'bool-full-row'; scale?: number }
  const cases: Case[] = [
    { name: 'single query and key', b: [1], L: 1, S: 1, E: 1, Ev: 1 },
    { name: 'no batch dims', b: [], L: 7, S: 33, E: 16, Ev: 8 },
    { name: 'heads, awkward sizes', b: [2, 3], L: 7, S: 33, E: 33, Ev: 7 },
    { name: 'long keys (3 blocks)', b: [2], L: 5, S: 130, E: 16, Ev: 130 },
    { name: 'causal', b: [2, 2], L: 33, S: 33, E: 8, Ev: 8, causal: true },
    { name: 'causal, L < S', b: [1], L: 7, S: 130, E: 8, Ev: 8, causal: true },
    { name: 'padding mask [B,1,1,S]', b: [2, 3], L: 7, S: 33, E: 8, Ev: 8, mask: 'bool-pad' },
    { name: 'float mask [L,S] with -inf', b: [2], L: 7, S: 33, E: 8, Ev: 8, mask: 'float' },
    { name: 'fully masked query rows give NaN', b: [2], L: 7, S: 33, E: 8, Ev: 8, mask: 'bool-full-row' },
    { name: 'scores of ~1000', b: [2], L: 7, S: 70, E: 16, Ev: 16, scale: 30 },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const q = randomArray(sizeOf([...c.b, c.L, c.E]));
      const k = randomArray(sizeOf([...c.b, c.S, c.E]));
      const v = randomArray(sizeOf([...c.b, c.S, c.Ev]));
      let maskShape: number[] = [];
      let maskData: Float32Array | Uint8Array | null = null;
      if (c.mask === 'bool-pad') {
        maskShape = [c.b[0], 1, 1, c.S];
        maskData = Uint8Array.from({ length: c.b[0] * c.S }, (_, i) => (i % c.S < c.S - 1 - 4 * (Math.floor(i / c.S)) ? 1 : 0));
      } else if (c.mask === 'float') {
        maskShape = [c.L, c.S];
        maskData = Float32Array.from({ length: c.L * c.S }, (_, i) => (i % 5 === 0 ? -Infinity : uniform() - 0.5));
      } else if (c.mask === 'bool-full-row') {
        maskShape = [c.L, c.S];
        maskData = Uint8Array.from({ length: c.L * c.S }, (_, i) => (Math.floor(i / c.S) === 3 ? 0 : uniform() < 0.6 ? 1 : 0));
      }
      await compareFused(h!, () => T.noGrad(() => {
        const mask = maskData ? T.tensor(maskData, { shape: maskShape, dtype: maskData instanceof Uint8Array ? 'bool' : 'float32' }) : null;
        return [T.scaledDotProductAttention(
          T.tensor(q, { shape: [...c.b, c.L, c.E] }), T.tensor(k, { shape: [...c.b, c.S, c.E] }), T.tensor(v, { shape: [...c.b, c.S, c.Ev] }),
          { isCausal: c.causal, attnMask: mask, scale: c.scale },
        )];
      }), ATTENTION_TOL, c.name, ['attention']);
    });
  }

  it('with gradients wanted it stays the composite (which autograd can differentiate)', async () => {
    T.setBackend('webgpu');
    const q = T.randn([2, 3, 4], { requiresGrad: true });
    const out = T.scaledDotProductAttention(q, T.randn([2, 5, 4]), T.randn([2, 5, 4]));
    out.sum().backward();
    expect(q.grad!.shape).toEqual([2, 3, 4]);
    expect(h!.calls.get('attention') ?? 0).toBe(0);
  });
});
