// Data movement: strided copy and scatter (permute, expand, slice, pad, cat), gather and
// scatter-add. Copies move u32 bit patterns, so one pipeline serves every dtype.
// Float scatter-add uses a compare-and-swap loop on the u32 bits (WGSL has no float atomics).
import type { KernelParams } from '../../backend.ts';
import type { DType } from '../../dtype.ts';
import type { Dispatch } from './wgsl.ts';
import { collapseDims } from '../../shape.ts';
import { MAX_RANK, perElementShader, grid, paramBlock, stridedOffsets, wgslType } from './wgsl.ts';

function shader(bindings: string, body: string): string {
  return perElementShader('', bindings, body);
}

const COPY_BINDINGS = `@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read_write> o: array<u32>;`;

// Params: 0 n, 1 rank, 2 offset, 4.. shape, then strides
export function planStridedCopy(size: number, p: KernelParams['stridedCopy']): Dispatch[] | null {
  const c = collapseDims(p.shape, [p.strides]);
  if (c.shape.length > MAX_RANK) return null;
  return [{
    key: 'stridedCopy',
    code: () => shader(COPY_BINDINGS, `${stridedOffsets(1, 1, 4)}\n  o[i] = x[p(2u) + off0];`),
    params: paramBlock([size, c.shape.length, p.offset, 0, ...c.shape, ...c.strides[0]]),
    workgroups: grid(size),
  }];
}

export function planStridedScatter(p: KernelParams['stridedScatter']): Dispatch[] | null {
  const n = p.shape.reduce((a, b) => a * b, 1);
  const c = collapseDims(p.shape, [p.strides]);
  if (c.shape.length > MAX_RANK) return null;
  return [{
    key: 'stridedScatter',
    code: () => shader(COPY_BINDINGS, `${stridedOffsets(1, 1, 4)}\n  o[p(2u) + off0] = x[i];`),
    params: paramBlock([n, c.shape.length, p.offset, 0, ...c.shape, ...c.strides[0]]),
    workgroups: grid(n),
  }];
}

// Walks index's shape; dim's coordinate is replaced by the index value. Out-of-range values
// (checked on the host, or by a GPU check that fails the next read) never reach past dim's
// extent: gather clamps them, scatter-add skips them.
// Params: 0 n, 1 rank, 2 dim, 3 dim's size in the indexed tensor, 4.. shape, then target
// strides, then source strides (scatter)
function indexWalk(withSrc: boolean): string {
  const v = withSrc
    ? 'let v = idx[i];\n  if (v < 0 || v >= i32(p(3u))) { return; }'
    : 'let v = clamp(idx[i], 0, max(i32(p(3u)) - 1, 0));';
  return `
  ${v}
  let rank = p(1u); let dim = p(2u);
  var rem = i; var off = 0u; var soff = 0u;
  for (var dd = rank; dd > 0u; dd--) {
    let d = dd - 1u;
    let s = p(4u + d);
    let c = rem % s;
    rem = rem / s;
    if (d != dim) { off += c * p(4u + rank + d); }
    ${withSrc ? 'soff += c * p(4u + 2u * rank + d);' : ''}
  }
  off += u32(v) * p(4u + rank + dim);`;
}

/** Extent of `dim` in a contiguous tensor of `total` elements with these strides. */
function dimExtent(total: number, strides: readonly number[], dim: number): number {
  if (strides.length === 0) return total;
  if (strides[dim] === 0) return 0;
  return Math.floor((dim === 0 ? total : strides[dim - 1]) / strides[dim]);
}

export function planGather(size: number, xSize: number, p: KernelParams['gather']): Dispatch[] | null {
  if (p.shape.length > MAX_RANK) return null;
  return [{
    key: 'gather',
    code: () => shader(`@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read> idx: array<i32>;
@group(0) @binding(3) var<storage, read_write> o: array<u32>;`, `${indexWalk(false)}\n  o[i] = x[off];`),
    params: paramBlock([size, p.shape.length, p.dim, dimExtent(xSize, p.xStrides, p.dim), ...p.shape, ...p.xStrides]),
    workgroups: grid(size),
  }];
}

export function planScatterAdd(dtype: DType, outSize: number, p: KernelParams['scatterAdd']): Dispatch[] | null {
  if (p.shape.length > MAX_RANK) return null;
  const n = p.shape.reduce((a, b) => a * b, 1);
  const t = wgslType(dtype);
  const update = t === 'f32'
    ? `let add = src[soff];
  var old = atomicLoad(&o[off]);
  loop {
    let res = atomicCompareExchangeWeak(&o[off], old, bitcast<u32>(bitcast<f32>(old) + add));
    if (res.exchanged) { break; }
    old = res.old_value;
  }`
    : `atomicAdd(&o[off], ${t === 'i32' ? 'u32(src[soff])' : 'src[soff]'});`;
  return [{
    key: `scatterAdd:${dtype}`,
    code: () => shader(`@group(0) @binding(1) var<storage, read> idx: array<i32>;
@group(0) @binding(2) var<storage, read> src: array<${t}>;
@group(0) @binding(3) var<storage, read_write> o: array<atomic<u32>>;`, `${indexWalk(true)}\n  ${update}`),
    params: paramBlock([n, p.shape.length, p.dim, dimExtent(outSize, p.outStrides, p.dim), ...p.shape, ...p.outStrides, ...p.srcStrides]),
    workgroups: grid(n),
  }];
}
