// Reference CPU kernels over flat typed arrays. Each loop switches on the op outside the
// inner loop so the hot loop stays monomorphic.
import type { BinaryOp, KernelParams, UnaryOp } from '../backend.ts';
import type { TypedArray } from '../dtype.ts';
import { collapseDims } from '../shape.ts';

// erf via the classic Chebyshev-fitted erfc (fractional error < 1.2e-7), enough for float32.
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.5 * ax);
  const y =
    t *
    Math.exp(
      -ax * ax - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
        t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return sign * (1 - y);
}

export function unaryKernel(op: UnaryOp, x: TypedArray, out: TypedArray): void {
  const n = out.length;
  switch (op) {
    case 'neg': for (let i = 0; i < n; i++) out[i] = -x[i]; break;
    case 'exp': for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]); break;
    case 'log': for (let i = 0; i < n; i++) out[i] = Math.log(x[i]); break;
    case 'sqrt': for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]); break;
    case 'abs': for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]); break;
    case 'tanh': for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]); break;
    case 'sigmoid':
      for (let i = 0; i < n; i++) {
        const v = x[i];
        // split by sign so exp never overflows
        if (v >= 0) out[i] = 1 / (1 + Math.exp(-v));
        else { const e = Math.exp(v); out[i] = e / (1 + e); }
      }
      break;
    case 'relu': for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v > 0 ? v : 0; } break;
    case 'sin': for (let i = 0; i < n; i++) out[i] = Math.sin(x[i]); break;
    case 'cos': for (let i = 0; i < n; i++) out[i] = Math.cos(x[i]); break;
    case 'erf': for (let i = 0; i < n; i++) out[i] = erf(x[i]); break;
    case 'sign': for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v > 0 ? 1 : v < 0 ? -1 : v; } break;
    case 'isinf': for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v === Infinity || v === -Infinity ? 1 : 0; } break;
    case 'isnan': for (let i = 0; i < n; i++) out[i] = x[i] !== x[i] ? 1 : 0; break;
    case 'not': for (let i = 0; i < n; i++) out[i] = x[i] ? 0 : 1; break;
    default: throw new Error(`cpu: unknown unary op '${op as string}'`);
  }
}

function binaryRow(op: BinaryOp, a: TypedArray, ai: number, sa: number, b: TypedArray, bi: number, sb: number, o: TypedArray, oi: number, len: number): void {
  const end = oi + len;
  switch (op) {
    case 'add': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai] + b[bi]; break;
    case 'sub': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai] - b[bi]; break;
    case 'mul': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai] * b[bi]; break;
    case 'div': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai] / b[bi]; break;
    case 'pow': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = Math.pow(a[ai], b[bi]); break;
    case 'maximum': for (; oi < end; oi++, ai += sa, bi += sb) { const x = a[ai], y = b[bi]; o[oi] = x !== x || y !== y ? NaN : x > y ? x : y; } break;
    case 'minimum': for (; oi < end; oi++, ai += sa, bi += sb) { const x = a[ai], y = b[bi]; o[oi] = x !== x || y !== y ? NaN : x < y ? x : y; } break;
    case 'eq': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai] === b[bi] ? 1 : 0; break;
    case 'ne': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai] !== b[bi] ? 1 : 0; break;
    case 'lt': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai] < b[bi] ? 1 : 0; break;
    case 'le': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai] <= b[bi] ? 1 : 0; break;
    case 'gt': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai] > b[bi] ? 1 : 0; break;
    case 'ge': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai] >= b[bi] ? 1 : 0; break;
    case 'and': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai] && b[bi] ? 1 : 0; break;
    case 'or': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai] || b[bi] ? 1 : 0; break;
    default: throw new Error(`cpu: unknown binary op '${op as string}'`);
  }
}

/**
 * Walk every row (all dims but the last) of `shape`, handing each callback the flat offsets
 * of the row start in each strided operand. Offsets for the output are contiguous.
 */
function forEachRow(shape: number[], strideSets: number[][], offsets: number[], fn: (starts: number[], outStart: number) => void): void {
  const nd = shape.length;
  if (nd === 0) { fn(offsets.slice(), 0); return; }
  const rowLen = shape[nd - 1];
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) rows *= shape[d];
  if (rowLen === 0 || rows === 0) return;
  const counter = new Array<number>(nd).fill(0);
  const starts = offsets.slice();
  for (let r = 0; r < rows; r++) {
    fn(starts, r * rowLen);
    // increment the multi-index over dims 0..nd-2
    for (let d = nd - 2; d >= 0; d--) {
      counter[d]++;
      for (let s = 0; s < strideSets.length; s++) starts[s] += strideSets[s][d];
      if (counter[d] < shape[d]) break;
      for (let s = 0; s < strideSets.length; s++) starts[s] -= strideSets[s][d] * shape[d];
      counter[d] = 0;
    }
  }
}

export function binaryKernel(a: TypedArray, b: TypedArray, out: TypedArray, p: KernelParams['binary']): void {
  const { op } = p;
  if (p.shape.length === 0) { binaryRow(op, a, 0, 0, b, 0, 0, out, 0, 1); return; }
  if (isContiguous(p.shape, p.aStrides) && isContiguous(p.shape, p.bStrides)) {
    binaryRow(op, a, 0, 1, b, 0, 1, out, 0, out.length);
    return;
  }
  const { shape, strides: [aStrides, bStrides] } = collapseDims(p.shape, [p.aStrides, p.bStrides]);
  const nd = shape.length;
  const sa = aStrides[nd - 1], sb = bStrides[nd - 1];
  const len = shape[nd - 1];
  if (nd === 1) { binaryRow(op, a, 0, sa, b, 0, sb, out, 0, len); return; }
  if (nd === 2) {
    const rows = shape[0], ra = aStrides[0], rb = bStrides[0];
    for (let r = 0; r < rows; r++) binaryRow(op, a, r * ra, sa, b, r * rb, sb, out, r * len, len);
    return;
  }
  forEachRow(shape, [aStrides, bStrides], [0, 0], (st, o) => binaryRow(op, a, st[0], sa, b, st[1], sb, out, o, len));
}

export function whereKernel(c: TypedArray, a: TypedArray, b: TypedArray, out: TypedArray, p: KernelParams['where']): void {
  const { shape, condStrides, aStrides, bStrides } = p;
  const nd = shape.length;
  if (nd === 0) { out[0] = c[0] ? a[0] : b[0]; return; }
  const sc = condStrides[nd - 1], sa = aStrides[nd - 1], sb = bStrides[nd - 1];
  const len = shape[nd - 1];
  forEachRow(shape, [condStrides, aStrides, bStrides], [0, 0, 0], (st, o) => {
    let ci = st[0], ai = st[1], bi = st[2];
    for (let i = 0; i < len; i++, ci += sc, ai += sa, bi += sb) out[o + i] = c[ci] ? a[ai] : b[bi];
  });
}

function isContiguous(shape: number[], strides: number[]): boolean {
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && strides[d] !== s) return false;
    s *= shape[d];
  }
  return true;
}

export function stridedCopyKernel(x: TypedArray, out: TypedArray, p: KernelParams['stridedCopy']): void {
  const { offset } = p;
  if (p.shape.length === 0) { out[0] = x[offset]; return; }
  if (out.length === 0) return;
  const { shape, strides: [strides] } = collapseDims(p.shape, [p.strides]);
  const nd = shape.length;
  const s = strides[nd - 1];
  const len = shape[nd - 1];
  if (nd <= 4) {
    // up to four dims after merging (a head split [B, T, H, D] → [B, H, T, D] is four): plain
    // loops, no callback per row (rows are often a head's 16 floats)
    const dim = (d: number): number => (d < 4 - nd ? 1 : shape[d - (4 - nd)]);
    const str = (d: number): number => (d < 4 - nd ? 0 : strides[d - (4 - nd)]);
    const n0 = dim(0), n1 = dim(1), n2 = dim(2), s0 = str(0), s1 = str(1), s2 = str(2);
    let o = 0;
    for (let i = 0; i < n0; i++) {
      for (let j = 0; j < n1; j++) {
        for (let l = 0; l < n2; l++) {
          let xi = offset + i * s0 + j * s1 + l * s2;
          if (s === 1) { for (let q = 0; q < len; q++) out[o + q] = x[xi + q]; } else { for (let q = 0; q < len; q++, xi += s) out[o + q] = x[xi]; }
          o += len;
        }
      }
    }
    return;
  }
  forEachRow(shape, [strides], [offset], (st, o) => {
    let xi = st[0];
    for (let i = 0; i < len; i++, xi += s) out[o + i] = x[xi];
  });
}

export function stridedScatterKernel(x: TypedArray, out: TypedArray, p: KernelParams['stridedScatter']): void {
  const { shape, strides, offset } = p;
  const nd = shape.length;
  if (nd === 0) { out[offset] = x[0]; return; }
  const s = strides[nd - 1];
  const len = shape[nd - 1];
  forEachRow(shape, [strides], [offset], (st, i0) => {
    let oi = st[0];
    for (let i = 0; i < len; i++, oi += s) out[oi] = x[i0 + i];
  });
}

// float64 partial sums for reduceKernel's strided sums, grown on demand
let sumScratch = new Float64Array(256);

export function reduceKernel(x: TypedArray, out: TypedArray, p: KernelParams['reduce']): void {
  const { op, outer, size, inner } = p;
  if (op === 'sum' && inner > 1) {
    // a sum over a middle axis (a bias gradient: [N, C] over N): walk x in order, adding each row
    // into `inner` float64 sums; every sum still adds its terms in r order, as the loop below
    if (sumScratch.length < inner) sumScratch = new Float64Array(inner);
    const acc = sumScratch;
    for (let o = 0; o < outer; o++) {
      acc.fill(0, 0, inner);
      let base = o * size * inner;
      for (let r = 0; r < size; r++, base += inner) for (let j = 0; j < inner; j++) acc[j] += x[base + j];
      for (let j = 0; j < inner; j++) out[o * inner + j] = acc[j];
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let base = o * size * inner + j;
      let acc: number;
      if (op === 'sum') {
        acc = 0;
        for (let r = 0; r < size; r++, base += inner) acc += x[base];
      } else if (op === 'max' || op === 'min') {
        const isMax = op === 'max';
        acc = isMax ? -Infinity : Infinity;
        for (let r = 0; r < size; r++, base += inner) {
          const v = x[base];
          if (v !== v) { acc = NaN; break; }
          if (isMax ? v > acc : v < acc) acc = v;
        }
      } else {
        const isMax = op === 'argmax';
        let best = isMax ? -Infinity : Infinity;
        acc = 0;
        for (let r = 0; r < size; r++, base += inner) {
          const v = x[base];
          if (v !== v) { acc = r; break; } // NaN wins, like torch
          if (isMax ? v > best : v < best) { best = v; acc = r; }
        }
      }
      out[o * inner + j] = acc;
    }
  }
}

export function gatherKernel(x: TypedArray, index: TypedArray, out: TypedArray, p: KernelParams['gather']): void {
  const { shape, xStrides, dim } = p;
  const nd = shape.length;
  const counter = new Array<number>(nd).fill(0);
  const n = out.length;
  const dimStride = xStrides[dim];
  for (let i = 0; i < n; i++) {
    let off = 0;
    for (let d = 0; d < nd; d++) if (d !== dim) off += counter[d] * xStrides[d];
    out[i] = x[off + index[i] * dimStride];
    for (let d = nd - 1; d >= 0; d--) { if (++counter[d] < shape[d]) break; counter[d] = 0; }
  }
}

export function scatterAddKernel(index: TypedArray, src: TypedArray, out: TypedArray, p: KernelParams['scatterAdd']): void {
  const { shape, outStrides, srcStrides, dim } = p;
  const nd = shape.length;
  const counter = new Array<number>(nd).fill(0);
  const n = index.length;
  for (let i = 0; i < n; i++) {
    let off = 0;
    let so = 0;
    for (let d = 0; d < nd; d++) {
      if (d !== dim) off += counter[d] * outStrides[d];
      so += counter[d] * srcStrides[d];
    }
    out[off + index[i] * outStrides[dim]] += src[so];
    for (let d = nd - 1; d >= 0; d--) { if (++counter[d] < shape[d]) break; counter[d] = 0; }
  }
}

export function castKernel(x: TypedArray, out: TypedArray): void {
  const n = out.length;
  if (out instanceof Uint8Array) { for (let i = 0; i < n; i++) out[i] = x[i] ? 1 : 0; return; }
  if (out instanceof Int32Array) { for (let i = 0; i < n; i++) out[i] = Math.trunc(x[i]); return; }
  out.set(x);
}
