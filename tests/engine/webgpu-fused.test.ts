// Fused WebGPU kernels against the CPU backend's primitive composites (the reference), forward
// and backward, on random inputs with awkward sizes (1, 7, 33, 130), logits of 1000, -Infinity
// entries and fully masked rows. Row kernels, Adam and the LSTM and GRU cells must agree to a normalised
// error |gpu − cpu| / max(1, |cpu|) ≤ 1e-6; attention (dot products summed in another order)
// to 5e-4; LSTM and GRU layers (matmuls inside) to 1e-5. Each case also checks that the fused kernel
// really ran.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import * as T from '../../src/engine/index.ts';
import type { FusedName } from '../../src/engine/backend.ts';
import type { TypedArray } from '../../src/engine/dtype.ts';
import { fusedGruCell } from '../../src/engine/fused.ts';
import { webgpuForTests } from './webgpu-helpers.ts';

const gpu = await webgpuForTests('webgpu-fused.test.ts');
afterAll(() => { T.setBackend('cpu'); gpu?.destroy(); });

const fusedCalls = new Map<string, number>();
if (gpu) {
  const run = gpu.runFused.bind(gpu);
  gpu.runFused = ((name: FusedName, ...rest: Parameters<typeof run> extends [unknown, ...infer R] ? R : never) => {
    fusedCalls.set(name, (fusedCalls.get(name) ?? 0) + 1);
    return run(name, ...rest);
  }) as typeof gpu.runFused;
}
beforeEach(() => fusedCalls.clear());

let seed = 99;
function uniform(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
}
function randomArray(n: number, scale = 3, specials: number[] = []): Float32Array {
  const a = Float32Array.from({ length: n }, () => (uniform() * 2 - 1) * scale);
  for (const i of specials) a[i % n] = -Infinity;
  return a;
}
const sizeOf = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Runs fn with 'cpu' then 'webgpu' current; fn builds its tensors from host arrays. */
async function onBoth(fn: () => T.Tensor[]): Promise<[TypedArray[], TypedArray[]]> {
  const read = async (backend: string) => {
    T.setBackend(backend);
    const outs = fn();
    const data = await Promise.all(outs.map((t) => t.data()));
    for (const t of outs) t.dispose();
    return data;
  };
  const cpu = await read('cpu');
  const gpuOut = await read('webgpu');
  return [gpuOut, cpu];
}

function expectClose(got: TypedArray, want: TypedArray, tol: number, what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  let worst = 0, at = -1;
  for (let i = 0; i < want.length; i++) {
    const a = got[i], e = want[i];
    if (Number.isNaN(e) || Number.isNaN(a) || !Number.isFinite(e) || !Number.isFinite(a)) {
      if (!Object.is(a, e) && !(Number.isNaN(a) && Number.isNaN(e))) throw new Error(`${what}[${i}]: got ${a}, expected ${e}`);
      continue;
    }
    const err = Math.abs(a - e) / Math.max(1, Math.abs(e));
    if (err > worst) { worst = err; at = i; }
  }
  if (worst > tol) throw new Error(`${what}: normalised error ${worst.toExponential(2)} at [${at}] (got ${got[at]}, expected ${want[at]}) > ${tol}`);
}

async function compare(fn: () => T.Tensor[], tol: number, what: string, fused: string[]): Promise<void> {
  const [got, want] = await onBoth(fn);
  got.forEach((g, k) => expectClose(g, want[k], tol, `${what} output ${k}`));
  for (const name of fused) expect(fusedCalls.get(name) ?? 0, `${what}: fused '${name}' ran`).toBeGreaterThan(0);
}

const ROW_TOL = 1e-6;
const ATTENTION_TOL = 5e-4;

describe.skipIf(!gpu)('fused softmax / log-softmax', () => {
  const cases: { shape: number[]; dim: number; scale?: number; specials?: number[] }[] = [
    { shape: [1], dim: 0 },
    { shape: [1, 1], dim: 1 },
    { shape: [7], dim: 0 },
    { shape: [3, 33], dim: 1 },
    { shape: [2, 130], dim: -1 },
    { shape: [5, 7, 3], dim: 1 },                       // reduced axis in the middle (strided rows)
    { shape: [33, 7], dim: 0 },
    { shape: [4, 300], dim: 1, scale: 1000 },           // logits of ±1000, long rows (256-thread path)
    { shape: [6, 7], dim: 1, specials: [0, 3, 9, 14, 15, 16, 17, 18, 19, 20] }, // -inf entries, one fully -inf row
  ];
  for (const log of [false, true]) {
    for (const c of cases) {
      it(`${log ? 'logSoftmax' : 'softmax'} ${JSON.stringify(c.shape)} dim ${c.dim}${c.scale ? ' ×' + c.scale : ''}${c.specials ? ' with -inf' : ''}: values and gradient`, async () => {
        const x = randomArray(sizeOf(c.shape), c.scale ?? 3, c.specials);
        const r = randomArray(sizeOf(c.shape), 1);
        await compare(() => {
          const xt = T.tensor(x, { shape: c.shape, requiresGrad: true });
          const y = log ? T.logSoftmax(xt, c.dim) : T.softmax(xt, c.dim);
          // -inf log-probabilities times 0 would be NaN: weight only finite outputs
          const loss = T.sum(T.where(T.isinf(y), 0, y).mul(T.tensor(r, { shape: c.shape })));
          loss.backward();
          return [y, xt.grad!];
        }, ROW_TOL, 'softmax', ['softmax', 'softmaxBackward']);
      });
    }
  }
});

describe.skipIf(!gpu)('fused layer norm', () => {
  const cases: { shape: number[]; ns: number[]; affine: 'none' | 'weight' | 'both'; offset?: number }[] = [
    { shape: [1], ns: [1], affine: 'both' },
    { shape: [7], ns: [7], affine: 'none' },
    { shape: [3, 33], ns: [33], affine: 'both' },
    { shape: [2, 130], ns: [130], affine: 'weight' },
    { shape: [4, 5, 6], ns: [5, 6], affine: 'both' },
    { shape: [2, 300], ns: [300], affine: 'both', offset: 1e3 },
  ];
  for (const c of cases) {
    it(`layerNorm ${JSON.stringify(c.shape)} over ${JSON.stringify(c.ns)} (${c.affine}${c.offset ? ', values near 1e3' : ''}): values and gradients`, async () => {
      const x = randomArray(sizeOf(c.shape)).map((v) => v + (c.offset ?? 0));
      const w = randomArray(sizeOf(c.ns));
      const b = randomArray(sizeOf(c.ns));
      const r = randomArray(sizeOf(c.shape), 1);
      await compare(() => {
        const xt = T.tensor(x, { shape: c.shape, requiresGrad: true });
        const wt = c.affine !== 'none' ? T.tensor(w, { shape: c.ns, requiresGrad: true }) : null;
        const bt = c.affine === 'both' ? T.tensor(b, { shape: c.ns, requiresGrad: true }) : null;
        const y = T.layerNorm(xt, c.ns, wt, bt);
        T.sum(y.mul(T.tensor(r, { shape: c.shape }))).backward();
        return [y, xt.grad!, ...(wt ? [wt.grad!] : []), ...(bt ? [bt.grad!] : [])];
      }, ROW_TOL, 'layerNorm', ['layerNorm', 'layerNormBackward']);
    });
  }
});

describe.skipIf(!gpu)('fused cross-entropy', () => {
  const cases: { n: number; c: number; scale?: number; ignore?: number[]; reduction: 'mean' | 'sum' | 'none' }[] = [
    { n: 1, c: 1, reduction: 'mean' },
    { n: 7, c: 33, reduction: 'mean' },
    { n: 33, c: 7, reduction: 'sum', ignore: [0, 5, 6] },
    { n: 4, c: 130, reduction: 'none', ignore: [2] },
    { n: 5, c: 300, scale: 1000, reduction: 'mean' },
  ];
  for (const c of cases) {
    it(`crossEntropy [${c.n}, ${c.c}] ${c.reduction}${c.ignore ? ' with ignored rows' : ''}${c.scale ? ', logits of 1000' : ''}: values and gradient`, async () => {
      const x = randomArray(c.n * c.c, c.scale ?? 3);
      const t = Int32Array.from({ length: c.n }, (_, i) => (c.ignore?.includes(i) ? -100 : Math.floor(uniform() * c.c)));
      await compare(() => {
        const xt = T.tensor(x, { shape: [c.n, c.c], requiresGrad: true });
        const loss = T.crossEntropy(xt, T.tensor(t, { dtype: 'int32' }), { reduction: c.reduction });
        T.sum(loss).backward();
        return [loss, xt.grad!];
      }, ROW_TOL, 'crossEntropy', ['crossEntropy', 'crossEntropyBackward']);
    });
  }

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
      await compare(() => T.noGrad(() => {
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
    expect(fusedCalls.get('attention') ?? 0).toBe(0);
  });
});

describe.skipIf(!gpu)('fused Adam / AdamW, LSTM and GRU cells', () => {
  for (const [name, make] of [
    ['Adam', (ps: T.Tensor[]) => new T.optim.Adam(ps, { lr: 0.01 })],
    ['Adam with L2 weight decay', (ps: T.Tensor[]) => new T.optim.Adam(ps, { lr: 0.01, weightDecay: 0.1 })],
    ['AdamW', (ps: T.Tensor[]) => new T.optim.AdamW(ps, { lr: 0.01, weightDecay: 0.1 })],
  ] as const) {
    it(`${name}: 4 steps on [7, 33] and [130] parameters`, async () => {
      const shapes = [[7, 33], [130], [1]];
      const init = shapes.map((s) => randomArray(sizeOf(s)));
      const grads = [0, 1, 2, 3].map(() => shapes.map((s) => randomArray(sizeOf(s), 1e-3 + uniform())));
      await compare(() => {
        const ps = shapes.map((s, i) => T.tensor(init[i], { shape: s, requiresGrad: true }));
        const opt = make(ps);
        for (const gs of grads) {
          ps.forEach((p, i) => { p.grad = T.tensor(gs[i], { shape: shapes[i] }); });
          opt.step();
          opt.zeroGrad();
        }
        opt.dispose();
        return ps;
      }, ROW_TOL, name, ['adam']);
    });
  }

  it('amsgrad keeps the composite', async () => {
    T.setBackend('webgpu');
    const p = T.ones([3], { requiresGrad: true });
    const opt = new T.optim.Adam([p], { amsgrad: true });
    p.grad = T.ones([3]);
    opt.step();
    expect(fusedCalls.get('adam') ?? 0).toBe(0);
    opt.dispose();
  });

  for (const [T_, B, inSize, H] of [[4, 3, 5, 7], [3, 1, 2, 33], [2, 2, 3, 130]] as const) {
    it(`nn.LSTM seq ${T_}, batch ${B}, hidden ${H}: output, states and gradients`, async () => {
      const x = randomArray(T_ * B * inSize);
      // Linear projections run as matmuls (summed in another order on the GPU): 1e-5 end to end
      await compare(() => {
        T.manualSeed(5);
        const lstm = new T.nn.LSTM(inSize, H);
        const xt = T.tensor(x, { shape: [T_, B, inSize], requiresGrad: true });
        const [out, [h, c]] = lstm.forward(xt);
        T.sum(out.mul(out)).add(T.sum(h)).add(T.sum(c.mul(c))).backward();
        const res = [out, h, c, xt.grad!, ...lstm.parameters().map((p) => p.grad!)];
        return res;
      }, 1e-5, 'LSTM', ['lstmCell', 'lstmCellBackward']);
    });
  }

  it('GRU cell alone (B×H 1×1, 7×7, 3×33): h\' and the gradients of xProj, hProj and h', async () => {
    // the composite nn/recurrent.ts runs where there is no fused kernel (the CPU reference)
    const step = (xp: T.Tensor, hp: T.Tensor, h: T.Tensor): T.Tensor => {
      const fused = fusedGruCell(xp, hp, h);
      if (fused) return fused;
      const [xr, xz, xn] = T.chunk(xp, 3, -1);
      const [hr, hz, hn] = T.chunk(hp, 3, -1);
      const r = T.sigmoid(xr.add(hr));
      const z = T.sigmoid(xz.add(hz));
      const n = T.tanh(xn.add(r.mul(hn)));
      return n.add(z.mul(h.sub(n)));
    };
    for (const [B, H] of [[1, 1], [7, 7], [3, 33]]) {
      const xp = randomArray(B * 3 * H), hp = randomArray(B * 3 * H), h = randomArray(B * H, 1), dh = randomArray(B * H, 1);
      await compare(() => {
        const xt = T.tensor(xp, { shape: [B, 3 * H], requiresGrad: true });
        const ht = T.tensor(hp, { shape: [B, 3 * H], requiresGrad: true });
        const h0 = T.tensor(h, { shape: [B, H], requiresGrad: true });
        const h1 = step(xt, ht, h0);
        h1.backward(T.tensor(dh, { shape: [B, H] }));
        return [h1, xt.grad!, ht.grad!, h0.grad!];
      }, ROW_TOL, `GRU cell ${B}x${H}`, ['gruCell', 'gruCellBackward']);
    }
  });

  for (const [T_, B, inSize, H, layers] of [[4, 3, 5, 7, 1], [3, 1, 2, 33, 2], [2, 7, 3, 1, 1]] as const) {
    it(`nn.GRU seq ${T_}, batch ${B}, hidden ${H}, ${layers} layer(s): output, state and gradients`, async () => {
      const x = randomArray(T_ * B * inSize);
      const h0 = randomArray(layers * B * H, 1);
      await compare(() => {
        T.manualSeed(6);
        const gru = new T.nn.GRU(inSize, H, { numLayers: layers });
        const xt = T.tensor(x, { shape: [T_, B, inSize], requiresGrad: true });
        const ht = T.tensor(h0, { shape: [layers, B, H], requiresGrad: true });
        const [out, hN] = gru.forward(xt, ht);
        T.sum(out.mul(out)).add(T.sum(hN.mul(T.tensor(3)))).backward();
        return [out, hN, xt.grad!, ht.grad!, ...gru.parameters().map((p) => p.grad!)];
      }, 1e-5, 'GRU', ['gruCell', 'gruCellBackward']);
    });
  }

  it('nn.GRUCell batch 7, hidden 33: h\' and gradients', async () => {
    const x = randomArray(7 * 5);
    const h = randomArray(7 * 33, 1);
    await compare(() => {
      T.manualSeed(8);
      const cell = new T.nn.GRUCell(5, 33);
      const xt = T.tensor(x, { shape: [7, 5], requiresGrad: true });
      const ht = T.tensor(h, { shape: [7, 33], requiresGrad: true });
      const h1 = cell.forward(xt, ht);
      const h2 = cell.forward(xt, h1);
      T.sum(h2.mul(h1)).backward();
      return [h1, h2, xt.grad!, ht.grad!, ...cell.parameters().map((p) => p.grad!)];
    }, 1e-5, 'GRUCell', ['gruCell', 'gruCellBackward']);
  });
});
