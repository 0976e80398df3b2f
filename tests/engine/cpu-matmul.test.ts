// The CPU matmul kernel against a plain triple loop, for every layout and batch broadcast, on
// every CPU tier: WebAssembly SIMD with float32 accumulation ('wasm', the default) and with float64
// ('wasm-f64': the same bits as the JavaScript kernels), and the JavaScript kernels that run
// where wasm SIMD is missing ('js': packed 4×4 and the path for fewer than 4 rows of A). Odd
// sizes cross every tile and block edge (MR 4, NR 8 / 4, KC 256, MC 128).
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { matmulKernel } from '../../src/engine/backends/cpu-matmul.ts';
import { cpuTier, setCpuTier, simdSupported, wasmKernels } from '../../src/engine/backends/cpu-wasm.ts';
import * as T from '../../src/engine/index.ts';

function random(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1);
}

interface Params { batch: number; m: number; k: number; n: number; transA: boolean; transB: boolean; aBatchStride: number; bBatchStride: number }

function naive(a: Float32Array, b: Float32Array, p: Params): Float64Array {
  const { batch, m, k, n, transA, transB, aBatchStride, bBatchStride } = p;
  const c = new Float64Array(batch * m * n);
  for (let bi = 0; bi < batch; bi++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let kk = 0; kk < k; kk++) {
          const av = transA ? a[bi * aBatchStride + kk * m + i] : a[bi * aBatchStride + i * k + kk];
          const bv = transB ? b[bi * bBatchStride + j * k + kk] : b[bi * bBatchStride + kk * n + j];
          sum += av * bv;
        }
        c[(bi * m + i) * n + j] = sum;
      }
    }
  }
  return c;
}

/** Float32 accumulation over k terms of size ≤ 1: error ≤ k·ε·Σ|a·b|; 1e-6·k is a generous bound here. */
function expectMatches(c: Float32Array, want: Float64Array, k: number, what: string): void {
  expect(c.length).toBe(want.length);
  for (let i = 0; i < c.length; i++) {
    if (Number.isNaN(want[i]) || !Number.isFinite(want[i])) {
      expect(c[i], `${what}[${i}]`).toBe(want[i]); // NaN and ±Inf propagate exactly (toBe treats NaN as NaN)
      continue;
    }
    const tol = 1e-6 * (1 + k) * (1 + Math.abs(want[i]));
    if (!(Math.abs(c[i] - want[i]) <= tol)) throw new Error(`${what}[${i}]: got ${c[i]}, expected ${want[i]}`);
  }
}

const SIZES: [number, number, number][] = [
  [1, 48, 192], [2, 7, 5], [3, 33, 9], [4, 5, 3], [1, 1, 1], [7, 7, 7], [33, 33, 33], [130, 70, 33],
  [9, 300, 13], [260, 20, 9], [5, 513, 17], [3, 0, 4], [0, 5, 3], [4, 5, 0],
];

const tiers = ['wasm', 'wasm-f64', 'js'] as const;
afterAll(() => { setCpuTier('wasm'); });

it('Node 22 runs the wasm tier by default (WebAssembly SIMD is there)', () => {
  expect(simdSupported()).toBe(true);
  expect(cpuTier()).toBe('wasm');
});

it("the 'wasm-f64' tier gives the JavaScript kernels' bits, for every layout, across k-blocks", () => {
  for (const [m, k, n] of [[130, 70, 33], [9, 300, 13], [5, 513, 17], [260, 20, 9]] as const) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a = random(2 * m * k, m + k);
        const b = random(k * n, n + k);
        const p = { batch: 2, m, k, n, transA, transB, aBatchStride: m * k, bBatchStride: 0 };
        const out = (tier: 'wasm-f64' | 'js') => { setCpuTier(tier); const c = new Float32Array(2 * m * n); matmulKernel(a, b, c, p); return c; };
        expect(out('wasm-f64')).toEqual(out('js'));
      }
    }
  }
});

it('a product that grows the wasm memory past 64 MiB lets it go afterwards, and the next call still agrees', () => {
  setCpuTier('wasm-f64');
  const before = wasmKernels();
  const [m, k, n] = [4, 1 << 21, 4]; // A and B: 32 MiB each as stored, twice that packed as float64
  const a = random(m * k, 11);
  const b = random(k * n, 12);
  const p = { batch: 1, m, k, n, transA: false, transB: true, aBatchStride: 0, bBatchStride: 0 };
  const got = new Float32Array(m * n);
  matmulKernel(a, b, got, p);
  const after = wasmKernels();
  expect(after).not.toBe(before); // a fresh instance with a small memory
  expect(after!.memory.buffer.byteLength).toBeLessThan(64 << 20);
  setCpuTier('js');
  const want = new Float32Array(m * n);
  matmulKernel(a, b, want, p);
  expect(got).toEqual(want);
  setCpuTier('wasm-f64');
  const again = new Float32Array(m * n);
  matmulKernel(a.subarray(0, m * 1000), b.subarray(0, 1000 * n), again, { ...p, k: 1000 });
  const want2 = new Float32Array(m * n);
  setCpuTier('js');
  matmulKernel(a.subarray(0, m * 1000), b.subarray(0, 1000 * n), want2, { ...p, k: 1000 });
  expect(again).toEqual(want2);
});

for (const tier of tiers) {
  describe(`CPU matmul kernel, ${tier} tier`, () => {
    beforeEach(() => { expect(setCpuTier(tier)).toBe(tier); });

    for (const [m, k, n] of SIZES) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          for (const share of ['none', 'A', 'B'] as const) {
            it(`[${m}×${k}] @ [${k}×${n}], transA ${transA}, transB ${transB}, ${share === 'none' ? 'batched A and B' : `${share} broadcast over the batch`}`, () => {
              const batch = 3;
              const a = random(batch * m * k, m * 31 + k);
              const b = random(batch * k * n, n * 17 + k);
              const p = { batch, m, k, n, transA, transB, aBatchStride: share === 'A' ? 0 : m * k, bBatchStride: share === 'B' ? 0 : k * n };
              const c = new Float32Array(batch * m * n).fill(NaN); // the kernel must write every output
              matmulKernel(a, b, c, p);
              expectMatches(c, naive(a, b, p), k, `${tier} ${m}×${k}×${n}`);
            });
          }
        }
      }
    }

    it('propagates NaN and ±Inf like the triple loop (0·Inf = NaN, Inf + finite = Inf)', () => {
      for (const [m, k, n] of [[6, 9, 11], [3, 9, 11]] as const) {
        const a = random(m * k, 5);
        const b = random(k * n, 6);
        a[1 * k + 2] = NaN; // row 1 of C is NaN
        a[2 * k + 3] = Infinity; // row 2: ±Inf where b[3, j] ≠ 0
        b[4 * n + 7] = -Infinity; // column 7: ±Inf, and NaN where it meets row 2's Inf with opposite sign
        b[3 * n + 5] = 0; // row 2 × column 5: Inf·0 = NaN
        const p = { batch: 1, m, k, n, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
        const c = new Float32Array(m * n);
        matmulKernel(a, b, c, p);
        const want = naive(a, b, p);
        expect(Number.isNaN(want[2 * n + 5])).toBe(true);
        expectMatches(c, want, k, `${tier} NaN/Inf ${m}×${k}×${n}`);
      }
    });

    it('T.matmul: batch broadcasting and empty tensors through the engine', async () => {
      T.manualSeed(4);
      const x = T.randn([2, 1, 7, 33]);
      const y = T.randn([3, 33, 5]);
      const z = T.matmul(x, y); // → [2, 3, 7, 5]
      expect(z.shape).toEqual([2, 3, 7, 5]);
      const [xd, yd, zd] = (await Promise.all([x.data(), y.data(), z.data()])) as Float32Array[];
      for (const [i, j] of [[0, 0], [1, 2], [0, 2]]) {
        const want = naive(xd.subarray(i * 7 * 33, (i + 1) * 7 * 33), yd.subarray(j * 33 * 5, (j + 1) * 33 * 5),
          { batch: 1, m: 7, k: 33, n: 5, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 });
        expectMatches(zd.subarray((i * 3 + j) * 35, (i * 3 + j + 1) * 35), want, 33, `batch ${i},${j}`);
      }
      expect(T.matmul(T.zeros([0, 4]), T.ones([4, 3])).shape).toEqual([0, 3]);
      expect(Array.from(await T.matmul(T.zeros([2, 0]), T.ones([0, 3])).data())).toEqual([0, 0, 0, 0, 0, 0]);
    });
  });
}
