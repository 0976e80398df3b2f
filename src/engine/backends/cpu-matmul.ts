// CPU matmul: both operands are packed into 4-wide panels so the 4×4 register-blocked
// micro-kernel streams two contiguous arrays; 16 accumulators stay in registers (JS doubles).
// The packed B panel (4×kc) stays in L1 while A panels stream from L2; k is blocked so an
// A block (mc×kc) fits in L2. Panels are packed as float64 so the hot loop does no
// float32→float64 conversions (≈25% faster in V8 than float32 panels).
// Fewer than 4 rows of A (a recurrent step, one generated token) skip the packing: it would cost
// as much as the product and the micro-kernel would multiply padding rows (the default wasm tier
// has SIMD dot-product and row-update kernels for them; this file's fewRowsKernel otherwise).
import type { KernelParams } from '../backend.ts';
import { MR, fewRowsKernels, fewRowsWasm, matmulKernels, matmulWasm } from './cpu-wasm.ts';

const KC = 256; // k-block: a 4×KC float64 panel is 8 KiB
const MC = 64; // rows of A per block: MC×KC×8 B = 128 KiB

export function matmulKernel(a: Float32Array, b: Float32Array, c: Float32Array, p: KernelParams['matmul']): void {
  const { batch, m, k, n, transA, transB, aBatchStride, bBatchStride } = p;
  const mPanels = (m + 3) >> 2;
  const nPanels = (n + 3) >> 2;
  if (m === 0 || n === 0 || k === 0) { c.fill(0, 0, batch * m * n); return; }
  // the wasm tier where it runs (it writes every output); the JavaScript kernels below otherwise
  const wk = m >= MR ? matmulKernels() : null;
  if (wk && matmulWasm(wk.w, wk.mk, a, b, c, p)) return;
  const fw = m < MR ? fewRowsKernels() : null;
  if (fw && fewRowsWasm(fw, a, b, c, p)) return;
  c.fill(0, 0, batch * m * n);
  if (m < 4) return fewRowsKernel(a, b, c, p);
  const kc = Math.min(KC, k);
  const ap = new Float64Array(mPanels * 4 * kc);
  const bp = new Float64Array(nPanels * 4 * kc);
  let lastAOff = -1;
  let lastBOff = -1;
  for (let bi = 0; bi < batch; bi++) {
    const aOff = bi * aBatchStride;
    const bOff = bi * bBatchStride;
    const cOff = bi * m * n;
    for (let k0 = 0; k0 < k; k0 += kc) {
      const kl = Math.min(kc, k - k0);
      // Re-pack only when the operand block changed (broadcast batches reuse the packing).
      if (aOff !== lastAOff || k > kc) packA(a, aOff, m, k, k0, kl, transA, ap);
      if (bOff !== lastBOff || k > kc) packB(b, bOff, n, k, k0, kl, transB, bp);
      lastAOff = aOff;
      lastBOff = bOff;
      for (let i0 = 0; i0 < mPanels; i0 += MC >> 2) {
        const iEnd = Math.min(mPanels, i0 + (MC >> 2));
        for (let jp = 0; jp < nPanels; jp++) {
          const bBase = jp * 4 * kl;
          const col = jp * 4;
          const cols = Math.min(4, n - col);
          for (let ip = i0; ip < iEnd; ip++) {
            microKernel(ap, ip * 4 * kl, bp, bBase, kl, c, cOff + ip * 4 * n + col, n, Math.min(4, m - ip * 4), cols);
          }
        }
      }
    }
  }
}

// Scratch rows for fewRowsKernel, grown on demand: allocating two arrays per call cost as much
// as the arithmetic of a recurrent step's matmul. Kernels run one at a time, so one set will do.
let rowScratch = new Float64Array(256);
let accScratch = new Float64Array(256);

/** c = a @ b row by row, accumulating in float64 like the micro-kernel. */
function fewRowsKernel(a: Float32Array, b: Float32Array, c: Float32Array, p: KernelParams['matmul']): void {
  const { batch, m, k, n, transA, transB, aBatchStride, bBatchStride } = p;
  if (rowScratch.length < k) rowScratch = new Float64Array(k);
  if (!transB && accScratch.length < n) accScratch = new Float64Array(n);
  const row = rowScratch; // row r of A, contiguous whichever way A is laid out
  const acc = accScratch;
  for (let bi = 0; bi < batch; bi++) {
    const aOff = bi * aBatchStride;
    const bOff = bi * bBatchStride;
    for (let r = 0; r < m; r++) {
      for (let kk = 0; kk < k; kk++) row[kk] = transA ? a[aOff + kk * m + r] : a[aOff + r * k + kk];
      const cRow = (bi * m + r) * n;
      if (transB) {
        // Row j of B (n×k) is contiguous: one dot product per output, four partial sums.
        const k4 = k & ~3;
        for (let j = 0; j < n; j++) {
          const bRow = bOff + j * k;
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          let kk = 0;
          for (; kk < k4; kk += 4) {
            s0 += row[kk] * b[bRow + kk];
            s1 += row[kk + 1] * b[bRow + kk + 1];
            s2 += row[kk + 2] * b[bRow + kk + 2];
            s3 += row[kk + 3] * b[bRow + kk + 3];
          }
          for (; kk < k; kk++) s0 += row[kk] * b[bRow + kk];
          c[cRow + j] = s0 + s1 + (s2 + s3);
        }
      } else {
        // Rows of B (k×n) are contiguous: add a[r, kk] times row kk.
        acc.fill(0, 0, n);
        for (let kk = 0; kk < k; kk++) {
          const x = row[kk];
          const bRow = bOff + kk * n;
          for (let j = 0; j < n; j++) acc[j] += x * b[bRow + j];
        }
        for (let j = 0; j < n; j++) c[cRow + j] = acc[j];
      }
    }
  }
}

function packA(a: Float32Array, off: number, m: number, k: number, k0: number, kl: number, trans: boolean, ap: Float64Array): void {
  const mPanels = (m + 3) >> 2;
  ap.fill(0, 0, mPanels * 4 * kl);
  for (let r = 0; r < m; r++) {
    const base = (r >> 2) * 4 * kl + (r & 3);
    if (!trans) {
      const src = off + r * k + k0;
      for (let kk = 0; kk < kl; kk++) ap[base + kk * 4] = a[src + kk];
    } else {
      const src = off + k0 * m + r;
      for (let kk = 0; kk < kl; kk++) ap[base + kk * 4] = a[src + kk * m];
    }
  }
}

function packB(b: Float32Array, off: number, n: number, k: number, k0: number, kl: number, trans: boolean, bp: Float64Array): void {
  const nPanels = (n + 3) >> 2;
  bp.fill(0, 0, nPanels * 4 * kl);
  if (!trans) {
    for (let kk = 0; kk < kl; kk++) {
      const src = off + (k0 + kk) * n;
      for (let col = 0; col < n; col++) bp[(col >> 2) * 4 * kl + kk * 4 + (col & 3)] = b[src + col];
    }
  } else {
    for (let col = 0; col < n; col++) {
      const base = (col >> 2) * 4 * kl + (col & 3);
      const src = off + col * k + k0;
      for (let kk = 0; kk < kl; kk++) bp[base + kk * 4] = b[src + kk];
    }
  }
}

function microKernel(
  ap: Float64Array, aBase: number, bp: Float64Array, bBase: number, kl: number,
  c: Float32Array, cBase: number, ldc: number, rows: number, cols: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let ai = aBase;
  let bi = bBase;
  for (let kk = 0; kk < kl; kk++) {
    const a0 = ap[ai], a1 = ap[ai + 1], a2 = ap[ai + 2], a3 = ap[ai + 3];
    const b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    ai += 4;
    bi += 4;
  }
  if (rows === 4 && cols === 4) {
    let o = cBase;
    c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03; o += ldc;
    c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; c[o + 3] += c13; o += ldc;
    c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; c[o + 3] += c23; o += ldc;
    c[o] += c30; c[o + 1] += c31; c[o + 2] += c32; c[o + 3] += c33;
    return;
  }
  const acc = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let r = 0; r < rows; r++) for (let q = 0; q < cols; q++) c[cBase + r * ldc + q] += acc[r * 4 + q];
}
