// recordAttention sees the weights every engine attention computes: the same tensors the models
// return when asked (returnAttention), labelled self or cross, and the functional form's too —
// including the fused inference path, which it turns off while it records.
import { describe, expect, it } from 'vitest';
import { GPT, Seq2Seq, manualSeed, noGrad, randn, recordAttention, scaledDotProductAttention, tensor } from '../../src/engine/index.ts';
import type { Tensor } from '../../src/engine/index.ts';

const ids = (xs: number[]): Tensor => tensor([xs], { dtype: 'int32' });

async function same(a: Tensor[], b: Tensor[]): Promise<void> {
  expect(a.map((t) => t.shape)).toEqual(b.map((t) => t.shape));
  for (let i = 0; i < a.length; i++) expect(Array.from(await a[i]!.data())).toEqual(Array.from(await b[i]!.data()));
}

describe('recordAttention', () => {
  it('records a GPT forward: one [B, H, T, T] self-attention map per layer, equal to returnAttention', async () => {
    manualSeed(0);
    const gpt = new GPT({ vocabSize: 11, blockSize: 8, nLayer: 3, nHead: 2, nEmbd: 8 });
    gpt.eval();
    const x = ids([1, 2, 3, 4, 5]);
    const { result, attention } = noGrad(() => recordAttention(() => gpt.forward(x)));
    const asked = noGrad(() => gpt.forward(x, { returnAttention: true }));
    expect(attention.map((a) => a.kind)).toEqual(['self', 'self', 'self']);
    const names = new Map(gpt.namedModules().map(([n, m]) => [m as object, n]));
    expect(attention.map((a) => names.get(a.module!))).toEqual(['blocks.0.self_attn', 'blocks.1.self_attn', 'blocks.2.self_attn']);
    await same(attention.map((a) => a.weights), asked.attention);
    expect(Array.from(await result.data())).toEqual(Array.from(await asked.logits.data()));
  });

  it('labels a Seq2Seq forward: encoder self, decoder self and cross-attention in call order', async () => {
    manualSeed(1);
    const m = new Seq2Seq({ vocabSize: 9, maxLen: 8, nLayer: 2, nHead: 2, nEmbd: 8 });
    m.eval();
    const { attention } = noGrad(() => recordAttention(() => m.forward(ids([1, 2, 3]), ids([4, 5]))));
    expect(attention.map((a) => `${a.kind} ${a.weights.shape.join('×')}`)).toEqual([
      'self 1×2×3×3', 'self 1×2×3×3', 'self 1×2×2×2', 'cross 1×2×2×3', 'self 1×2×2×2', 'cross 1×2×2×3',
    ]);
  });

  it('records the functional form, fused path or not, with the softmax weights', async () => {
    manualSeed(2);
    const q = randn([2, 4, 8]);
    const k = randn([2, 6, 8]);
    const v = randn([2, 6, 8]);
    const plain = noGrad(() => scaledDotProductAttention(q, k, v, { isCausal: false }));
    const { result, attention } = noGrad(() => recordAttention(() => scaledDotProductAttention(q, k, v)));
    expect(attention).toHaveLength(1);
    expect(attention[0]!.kind).toBe('attention');
    expect(attention[0]!.weights.shape).toEqual([2, 4, 6]);
    const rows = await attention[0]!.weights.sum(-1).data();
    for (const r of rows) expect(r).toBeCloseTo(1, 5);
    const a = await result.data();
    const b = await plain.data();
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 5);
  });

  it('records nothing outside a call, refuses to nest, and stops recording after a throw', () => {
    expect(() => recordAttention(() => recordAttention(() => 1))).toThrow(/already recording/);
    expect(() => recordAttention(() => { throw new Error('boom'); })).toThrow('boom');
    const { attention } = recordAttention(() => 0);
    expect(attention).toEqual([]);
  });
});
