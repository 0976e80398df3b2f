// Creation, shapes, dtypes, reading values, seeded randomness and printing.
import { describe, expect, it } from 'vitest';
import * as T from '../../src/engine/index.ts';
import { detCosSin2Pi, detLog } from '../../src/engine/random.ts';

const vals = async (t: T.Tensor) => Array.from(await t.data());

describe('creation and reading', () => {
  it('tensor() infers shape and dtype; array/item read back', async () => {
    const t = T.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect([t.dtype, t.ndim, t.size, t.numel()]).toEqual(['float32', 2, 6, 6]);
    expect(await t.array()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(T.tensor([true, false]).dtype).toBe('bool');
    expect(T.tensor(new Int32Array([1, 2, 3, 4]), { shape: [2, 2] }).dtype).toBe('int32');
    expect(await T.tensor(2.5).item()).toBe(2.5);
    await expect(t.item()).rejects.toThrow(/^item: only one-element tensors/);
  });

  it('constants and ranges', async () => {
    expect(await vals(T.zeros([2]))).toEqual([0, 0]);
    expect(await vals(T.ones([2], { dtype: 'int32' }))).toEqual([1, 1]);
    expect(await vals(T.full([2], 7))).toEqual([7, 7]);
    expect(await vals(T.arange(5))).toEqual([0, 1, 2, 3, 4]);
    expect(T.arange(5).dtype).toBe('int32');
    expect(await vals(T.arange(1, 2, 0.25))).toEqual([1, 1.25, 1.5, 1.75]);
    expect(await vals(T.linspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(await T.eye(2, 3).array()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(await vals(T.zerosLike(T.ones([3])))).toEqual([0, 0, 0]);
  });

  it('views and movement', async () => {
    const x = T.arange(24).reshape(2, 3, 4);
    expect(x.permute(2, 0, 1).shape).toEqual([4, 2, 3]);
    expect(await vals(x.T.reshape(-1).slice(0, 0, 3))).toEqual([0, 12, 4]);
    expect(await x.mT.select(0, 1).select(0, 0).array()).toEqual([12, 16, 20]); // column 0 of x[1]
    expect(x.unsqueeze(1).squeeze().shape).toEqual([2, 3, 4]);
    expect(await vals(x.slice(-1, -3, null, 2).select(0, 0).select(0, 0))).toEqual([1, 3]);
    expect(await T.stack([T.tensor([1, 2]), T.tensor([3, 4])], 1).array()).toEqual([[1, 3], [2, 4]]);
    expect(T.chunk(T.arange(7), 3).map((t) => t.size)).toEqual([3, 3, 1]);
    expect(await vals(T.pad(T.tensor([1, 2]), [1, 2], 9))).toEqual([9, 1, 2, 9, 9]);
    expect(await vals(T.tensor([-1.7, 2.9]).int())).toEqual([-1, 2]);
    expect(await T.ones([2, 2]).triu(1).array()).toEqual([[0, 1], [0, 0]]);
    expect(await T.oneHot(T.tensor([2, 0], { dtype: 'int32' }), 3).array()).toEqual([[0, 0, 1], [1, 0, 0]]);
  });
});

describe('seeded random numbers', () => {
  it('the core is xoshiro128** (reference outputs for state [1,2,3,4])', () => {
    const g = new T.Generator().setState([1, 2, 3, 4]);
    expect(Array.from({ length: 6 }, () => g.nextUint32())).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('Box–Muller helpers agree with libm to double precision', () => {
    for (const x of [0.1, 0.5, 0.999, 1e-300]) expect(detLog(x)).toBeCloseTo(Math.log(x), 13);
    for (const u of [0.1, 0.3, 0.6, 0.9]) {
      const [c, s] = detCosSin2Pi(u);
      expect(c).toBeCloseTo(Math.cos(2 * Math.PI * u), 13);
      expect(s).toBeCloseTo(Math.sin(2 * Math.PI * u), 13);
    }
  });

  it('same seed, same numbers; explicit generators are independent of the global one', async () => {
    T.manualSeed(123);
    const a = await vals(T.randn([5]));
    T.manualSeed(123);
    const b = await vals(T.randn([5]));
    expect(a).toEqual(b);
    const g1 = new T.Generator(7);
    T.rand([10]);
    const g2 = new T.Generator(7);
    expect(await vals(T.rand([4], { generator: g1 }))).toEqual(await vals(T.rand([4], { generator: g2 })));
    const r = new T.Generator(1).random();
    expect(r >= 0 && r < 1).toBe(true);
  });

  it('distributions have the right moments and ranges', async () => {
    const g = new T.Generator(42);
    const n = await vals(T.randn([20000], { generator: g }));
    const mean = n.reduce((s, v) => s + v, 0) / n.length;
    const sd = Math.sqrt(n.reduce((s, v) => s + (v - mean) ** 2, 0) / n.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
    const ints = await vals(T.randint(3, 6, [1000], { generator: g }));
    expect(new Set(ints)).toEqual(new Set([3, 4, 5]));
    const d = await vals(T.dropout(T.ones([1000]), 0.3, true, g));
    expect(new Set(d.map((v) => v.toFixed(4)))).toEqual(new Set(['0.0000', (1 / 0.7).toFixed(4)]));
  });
});

describe('printing like torch', () => {
  // expected strings are repr() output of torch 1.13 for the same tensors
  const cases: [string, () => T.Tensor, string][] = [
    ['grad 2x2', () => T.tensor([[0.1, 0.2], [0.3, 0.4]], { requiresGrad: true }), 'tensor([[0.1000, 0.2000],\n        [0.3000, 0.4000]], requires_grad=True)'],
    ['integral floats', () => T.tensor([1, 2, 3]), 'tensor([1., 2., 3.])'],
    ['summarised ints', () => T.arange(2000), 'tensor([   0,    1,    2,  ..., 1997, 1998, 1999])'],
    ['scientific', () => T.tensor([1e-5, 1.0, 1000.0]), 'tensor([1.0000e-05, 1.0000e+00, 1.0000e+03])'],
    ['scalar', () => T.tensor(3.5), 'tensor(3.5000)'],
    ['bool', () => T.tensor([true, false, true]), 'tensor([ True, False,  True])'],
    ['3-D', () => T.arange(24).float().reshape(2, 3, 4).div(7), 'tensor([[[0.0000, 0.1429, 0.2857, 0.4286],\n         [0.5714, 0.7143, 0.8571, 1.0000],\n         [1.1429, 1.2857, 1.4286, 1.5714]],\n\n        [[1.7143, 1.8571, 2.0000, 2.1429],\n         [2.2857, 2.4286, 2.5714, 2.7143],\n         [2.8571, 3.0000, 3.1429, 3.2857]]])'],
    ['summarised 2-D', () => T.arange(1600).float().reshape(40, 40).div(3), 'tensor([[0.0000e+00, 3.3333e-01, 6.6667e-01,  ..., 1.2333e+01, 1.2667e+01,\n         1.3000e+01],\n        [1.3333e+01, 1.3667e+01, 1.4000e+01,  ..., 2.5667e+01, 2.6000e+01,\n         2.6333e+01],\n        [2.6667e+01, 2.7000e+01, 2.7333e+01,  ..., 3.9000e+01, 3.9333e+01,\n         3.9667e+01],\n        ...,\n        [4.9333e+02, 4.9367e+02, 4.9400e+02,  ..., 5.0567e+02, 5.0600e+02,\n         5.0633e+02],\n        [5.0667e+02, 5.0700e+02, 5.0733e+02,  ..., 5.1900e+02, 5.1933e+02,\n         5.1967e+02],\n        [5.2000e+02, 5.2033e+02, 5.2067e+02,  ..., 5.3233e+02, 5.3267e+02,\n         5.3300e+02]])'],
    ['wrapped 1-D', () => T.arange(30).float().div(7), 'tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,\n        1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000, 2.1429, 2.2857, 2.4286,\n        2.5714, 2.7143, 2.8571, 3.0000, 3.1429, 3.2857, 3.4286, 3.5714, 3.7143,\n        3.8571, 4.0000, 4.1429])'],
    ['nan and inf', () => T.tensor([NaN, 1.5, -Infinity]), 'tensor([   nan, 1.5000,   -inf])'],
    ['negative ints', () => T.tensor([[-1, 20], [3, 4]], { dtype: 'int32' }), 'tensor([[-1, 20],\n        [ 3,  4]])'],
    ['empty', () => T.zeros([0]), 'tensor([])'],
  ];
  for (const [name, make, expected] of cases) {
    it(name, async () => expect(await make().format()).toBe(expected));
  }
});
