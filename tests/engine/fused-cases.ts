// The cases of the fused-kernel tests, shared by webgpu-fused.test.ts and cpu-fused.test.ts: each
// builds its tensors from host arrays, runs once on the CPU backend's primitive composites (CPU
// fusion off: the reference) and once on the backend under test with its fused kernels, compares
// the outputs to a normalised error |got − want| / max(1, |want|) and checks that the fused
// kernels really ran. Random inputs with awkward sizes (1, 7, 33, 130), logits of 1000, -Infinity
// entries, fully masked rows and ignored targets.
import { beforeEach, describe, expect, it } from 'vitest';
import * as T from '../../src/engine/index.ts';
import type { Backend, FusedName } from '../../src/engine/backend.ts';
import type { TypedArray } from '../../src/engine/dtype.ts';
import { setCpuFusion } from '../../src/engine/backends/cpu-fused.ts';
import { fusedGruCell } from '../../src/engine/fused.ts';

/** The backend under test and how often each of its fused kernels ran (declined calls not counted). */
export interface FusedHarness {
  backend: string;
  calls: Map<string, number>;
}

/** Counts `be`'s fused kernels that ran; the counts reset before each test of the file. */
export function fusedHarness(name: string, be: Backend): FusedHarness {
  const calls = new Map<string, number>();
  const run = be.runFused!.bind(be);
  be.runFused = ((kernel: FusedName, ...rest: Parameters<typeof run> extends [unknown, ...infer R] ? R : never) => {
    const ran = run(kernel, ...rest);
    if (ran) calls.set(kernel, (calls.get(kernel) ?? 0) + 1);
    return ran;
  }) as typeof be.runFused;
  beforeEach(() => calls.clear());
  return { backend: name, calls };
}

let seed = 99;
export function uniform(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
}
export function randomArray(n: number, scale = 3, specials: number[] = []): Float32Array {
  const a = Float32Array.from({ length: n }, () => (uniform() * 2 - 1) * scale);
  for (const i of specials) a[i % n] = -Infinity;
  return a;
}
export const sizeOf = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Runs fn on the CPU composites (fusion off), then with h's backend current; → [got, want]. */
async function onBoth(h: FusedHarness, fn: () => T.Tensor[]): Promise<[TypedArray[], TypedArray[]]> {
  const read = async (backend: string) => {
    T.setBackend(backend);
    const outs = fn();
    const data = await Promise.all(outs.map((t) => t.data()));
    for (const t of outs) t.dispose();
    return data;
  };
  const was = setCpuFusion(false);
  let want: TypedArray[];
  try {
    want = await read('cpu');
  } finally {
    setCpuFusion(was);
  }
  return [await read(h.backend), want];
}

export function expectClose(got: TypedArray, want: TypedArray, tol: number, what: string): void {
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

/** fn's outputs on h's fused kernels against the CPU composites, within tol; each of `fused` ran. */
export async function compareFused(h: FusedHarness, fn: () => T.Tensor[], tol: number, what: string, fused: string[]): Promise<void> {
  const [got, want] = await onBoth(h, fn);
  got.forEach((g, k) => expectClose(g, want[k], tol, `${what} output ${k}`));
  for (const name of fused) expect(h.calls.get(name) ?? 0, `${what}: fused '${name}' ran`).toBeGreaterThan(0);
}

export const ROW_TOL = 1e-6;

/** Softmax / log-softmax, layer norm and cross-entropy, values and gradients (skipped without h). */
export function describeFusedRows(h: FusedHarness | null): void {
  const compare = (fn: () => T.Tensor[], tol: number, what: string, fused: string[]) => compareFused(h!, fn, tol, what, fused);

  describe.skipIf(!h)('fused softmax / log-softmax', () => {
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

  describe.skipIf(!h)('fused layer norm', () => {
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

  describe.skipIf(!h)('fused cross-entropy', () => {
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
  });
}

/** Adam/AdamW, and LSTM and GRU cells and layers (skipped without h). */
export function describeFusedStepsAndCells(h: FusedHarness | null): void {
  const compare = (fn: () => T.Tensor[], tol: number, what: string, fused: string[]) => compareFused(h!, fn, tol, what, fused);

  describe.skipIf(!h)('fused Adam / AdamW, LSTM and GRU cells', () => {
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
      T.setBackend(h!.backend);
      const p = T.ones([3], { requiresGrad: true });
      const opt = new T.optim.Adam([p], { amsgrad: true });
      p.grad = T.ones([3]);
      opt.step();
      expect(h!.calls.get('adam') ?? 0).toBe(0);
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
          const [out, [hN, c]] = lstm.forward(xt);
          T.sum(out.mul(out)).add(T.sum(hN)).add(T.sum(c.mul(c))).backward();
          return [out, hN, c, xt.grad!, ...lstm.parameters().map((p) => p.grad!)];
        }, 1e-5, 'LSTM', ['lstmCell', 'lstmCellBackward']);
      });
    }

    it('GRU cell alone (B×H 1×1, 7×7, 3×33): h\' and the gradients of xProj, hProj and h', async () => {
      // the composite nn/recurrent.ts runs where there is no fused kernel (the CPU reference)
      const step = (xp: T.Tensor, hp: T.Tensor, h0: T.Tensor): T.Tensor => {
        const fused = fusedGruCell(xp, hp, h0);
        if (fused) return fused;
        const [xr, xz, xn] = T.chunk(xp, 3, -1);
        const [hr, hz, hn] = T.chunk(hp, 3, -1);
        const r = T.sigmoid(xr.add(hr));
        const z = T.sigmoid(xz.add(hz));
        const n = T.tanh(xn.add(r.mul(hn)));
        return n.add(z.mul(h0.sub(n)));
      };
      for (const [B, H] of [[1, 1], [7, 7], [3, 33]]) {
        const xp = randomArray(B * 3 * H), hp = randomArray(B * 3 * H), h0 = randomArray(B * H, 1), dh = randomArray(B * H, 1);
        await compare(() => {
          const xt = T.tensor(xp, { shape: [B, 3 * H], requiresGrad: true });
          const ht = T.tensor(hp, { shape: [B, 3 * H], requiresGrad: true });
          const h0t = T.tensor(h0, { shape: [B, H], requiresGrad: true });
          const h1 = step(xt, ht, h0t);
          h1.backward(T.tensor(dh, { shape: [B, H] }));
          return [h1, xt.grad!, ht.grad!, h0t.grad!];
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
      const h0 = randomArray(7 * 33, 1);
      await compare(() => {
        T.manualSeed(8);
        const cell = new T.nn.GRUCell(5, 33);
        const xt = T.tensor(x, { shape: [7, 5], requiresGrad: true });
        const ht = T.tensor(h0, { shape: [7, 33], requiresGrad: true });
        const h1 = cell.forward(xt, ht);
        const h2 = cell.forward(xt, h1);
        T.sum(h2.mul(h1)).backward();
        return [h1, h2, xt.grad!, ht.grad!, ...cell.parameters().map((p) => p.grad!)];
      }, 1e-5, 'GRUCell', ['gruCell', 'gruCellBackward']);
    });
  });
}
