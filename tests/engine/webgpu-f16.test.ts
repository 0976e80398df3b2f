// Opt-in f16 storage for WebGPU matmuls (initWebGPU({ f16: true })): operands are read as f16,
// products and sums stay f32. Against the CPU's f32 matmul the error is bounded by the inputs'
// f16 rounding, so the tolerance is looser than elsewhere: max |gpu − cpu| / max(1, max |cpu|)
// ≤ 2e-3 over each output. Runs where the adapter has 'shader-f16' (lavapipe/llvmpipe does;
// SwiftShader does not — then it is skipped with a visible message); the "missing feature"
// behaviour is tested on every adapter by hiding the feature.
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as T from '../../src/engine/index.ts';
import { WebGpuBackend } from '../../src/engine/backends/webgpu/index.ts';
import { webgpuForTests } from './webgpu-helpers.ts';

const gpu = await webgpuForTests('webgpu-f16.test.ts');
afterAll(() => { T.setBackend('cpu'); gpu?.destroy(); });
const hasF16 = gpu?.features.includes('shader-f16') ?? false;
if (gpu && !hasF16) {
  console.warn(`\n*** webgpu-f16.test.ts: f16 cases SKIPPED — adapter '${process.env.WEBGPU_ADAPTER ?? gpu.adapterInfo.description}' has no 'shader-f16' ***\n`);
}

const F16_TOL = 2e-3;

let seed = 7;
function randomArray(n: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return (seed / 2 ** 32 * 2 - 1) * scale;
  });
}

function scaledError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let scale = 1, worst = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  return worst / scale;
}

describe.skipIf(!gpu || !hasF16)('f16 matmul storage (shader-f16)', () => {
  const cases: { name: string; a: number[]; b: number[]; run: (a: T.Tensor, b: T.Tensor) => T.Tensor }[] = [
    { name: '[64, 256] @ [256, 128]', a: [64, 256], b: [256, 128], run: (a, b) => T.matmul(a, b) },
    { name: '[33, 7] @ [7, 65] (unaligned, scalar loads)', a: [33, 7], b: [7, 65], run: (a, b) => T.matmul(a, b) },
    { name: 'linear x [40, 96] · W[130, 96]ᵀ (transposed B)', a: [40, 96], b: [130, 96], run: (a, b) => T.linear(a, b) },
    { name: 'batched [3, 17, 33] @ [3, 33, 20]', a: [3, 17, 33], b: [3, 33, 20], run: (a, b) => T.matmul(a, b) },
    { name: 'aᵀ b: [48, 20]ᵀ @ [48, 36] (transposed A)', a: [48, 20], b: [48, 36], run: (a, b) => T.matmul(a.T, b) },
  ];
  for (const c of cases) {
    it(`${c.name}: within ${F16_TOL} of the CPU's f32, and the f16 kernel ran`, async () => {
      const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
      const av = randomArray(size(c.a), 2), bv = randomArray(size(c.b), 2);
      const compute = async (backend: string) => {
        T.setBackend(backend);
        const out = c.run(T.tensor(av, { shape: c.a }), T.tensor(bv, { shape: c.b }));
        return out.data();
      };
      const want = await compute('cpu');
      gpu!.setF16(true);
      try {
        const before = gpu!.stats.f16Matmuls;
        const got = await compute('webgpu');
        const err = scaledError(got, want);
        expect(err, `${c.name}: scaled error ${err.toExponential(2)}`).toBeLessThanOrEqual(F16_TOL);
        expect(gpu!.stats.f16Matmuls - before).toBe(1);
        // inputs rounded to f16 really change the numbers (the f32 kernels agree to ~1e-6)
        expect(err).toBeGreaterThan(1e-5);
      } finally {
        gpu!.setF16(false);
      }
    });
  }

  it('weights convert once: later matmuls reuse the f16 copy until the weight changes', async () => {
    T.setBackend('webgpu');
    gpu!.setF16(true);
    try {
      const w = T.tensor(randomArray(64 * 64), { shape: [64, 64] });
      const x = T.tensor(randomArray(32 * 64), { shape: [32, 64] });
      await T.matmul(x, w).data(); // converts x and w
      const d0 = gpu!.stats.dispatches;
      await T.matmul(x, w).data();
      expect(gpu!.stats.dispatches - d0).toBe(1); // the matmul alone
      w.assign(w.mul(2));
      const d1 = gpu!.stats.dispatches;
      const y = T.matmul(x, w);
      const want = await T.noGrad(() => { gpu!.setF16(false); return T.matmul(x, w); }).data();
      gpu!.setF16(true);
      expect(scaledError(await y.data(), want)).toBeLessThanOrEqual(F16_TOL);
      expect(gpu!.stats.dispatches - d1).toBeGreaterThan(2); // w's copy was made again
    } finally {
      gpu!.setF16(false);
    }
  });

  it('nn.Linear training step with f16 matmuls: loss and gradients near the CPU', async () => {
    const run = async (backend: string, f16: boolean) => {
      T.setBackend(backend);
      if (backend === 'webgpu') gpu!.setF16(f16);
      T.manualSeed(12);
      const lin = new T.nn.Linear(96, 80);
      const x = T.randn([64, 96]);
      const loss = lin.forward(x).tanh().square().mean();
      loss.backward();
      return Promise.all([loss.data(), lin.weight.grad!.data(), lin.bias!.grad!.data()]);
    };
    const want = await run('cpu', false);
    try {
      const before = gpu!.stats.f16Matmuls;
      const got = await run('webgpu', true);
      for (let k = 0; k < want.length; k++) expect(scaledError(got[k], want[k])).toBeLessThanOrEqual(F16_TOL);
      expect(gpu!.stats.f16Matmuls - before).toBe(2); // forward and the weight gradient (x needs none)
    } finally {
      gpu!.setF16(false);
    }
  });
});

describe.skipIf(!gpu)('f16 asked for without shader-f16', () => {
  it('is ignored with a one-time note, never an error; matmuls stay exact f32', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    try {
      // the same device, seen as an adapter without the feature
      const plain = new WebGpuBackend({ device: gpu!.device, adapterInfo: gpu!.adapterInfo, features: [] }, { f16: true });
      plain.onDeviceLost(() => {}); // it shares the file's device, destroyed in afterAll
      expect(plain.f16).toBe(false);
      expect(plain.setF16(true)).toBe(false);
      const notes = info.mock.calls.filter((c) => String(c[0]).includes("no 'shader-f16'"));
      expect(notes.length).toBeLessThanOrEqual(1);
      T.registerBackend('webgpu-plain', () => plain);
      T.setBackend('webgpu-plain');
      const a = randomArray(32 * 40), b = randomArray(40 * 24);
      const got = await T.matmul(T.tensor(a, { shape: [32, 40] }), T.tensor(b, { shape: [40, 24] })).data();
      T.setBackend('cpu');
      const want = await T.matmul(T.tensor(a, { shape: [32, 40] }), T.tensor(b, { shape: [40, 24] })).data();
      expect(scaledError(got, want)).toBeLessThan(1e-5);
    } finally {
      info.mockRestore();
      T.setBackend('cpu');
    }
  });
});
