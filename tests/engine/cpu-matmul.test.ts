// The CPU matmul kernel against a plain triple loop, for every layout, on both of its paths:
// the packed, register-blocked one and the one for fewer than 4 rows of A.
import { describe, expect, it } from 'vitest';
import { matmulKernel } from '../../src/engine/backends/cpu-matmul.ts';

function random(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1);
}

function naive(a: Float32Array, b: Float32Array, batch: number, m: number, k: number, n: number, transA: boolean, transB: boolean, aStride: number, bStride: number): Float32Array {
  const c = new Float32Array(batch * m * n);
  for (let bi = 0; bi < batch; bi++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let kk = 0; kk < k; kk++) {
          const av = transA ? a[bi * aStride + kk * m + i] : a[bi * aStride + i * k + kk];
          const bv = transB ? b[bi * bStride + j * k + kk] : b[bi * bStride + kk * n + j];
          sum += av * bv;
        }
        c[(bi * m + i) * n + j] = sum;
      }
    }
  }
  return c;
}

describe('CPU matmul kernel', () => {
  const cases: [number, number, number][] = [[1, 48, 192], [2, 7, 5], [3, 33, 9], [4, 5, 3], [9, 300, 13], [1, 1, 1], [3, 0, 4]];
  for (const [m, k, n] of cases) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        for (const shareB of [false, true]) {
          it(`[${m}×${k}] @ [${k}×${n}], transA ${transA}, transB ${transB}, ${shareB ? 'B broadcast over the batch' : 'batched B'}`, () => {
            const batch = 3;
            const a = random(batch * m * k, m * 31 + k);
            const b = random(batch * k * n, n * 17 + k);
            const params = { batch, m, k, n, transA, transB, aBatchStride: m * k, bBatchStride: shareB ? 0 : k * n };
            const c = new Float32Array(batch * m * n).fill(NaN); // the kernel must write every output
            matmulKernel(a, b, c, params);
            const want = naive(a, b, batch, m, k, n, transA, transB, params.aBatchStride, params.bBatchStride);
            for (let i = 0; i < c.length; i++) expect(Math.abs(c[i] - want[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want[i])));
          });
        }
      }
    }
  }
});
