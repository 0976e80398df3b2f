// Reductions over the middle axis of [outer, size, inner]: sum, max, min, argmax, argmin.
// Few outputs: one workgroup per output, threads stride over the axis, then a tree in
// workgroup memory. Many outputs along a strided axis: one thread per output (coalesced over inner).
// NaN wins max/min/argmax/argmin (at its first index), ties keep the first index, like the CPU.
import type { KernelParams, ReduceOp } from '../../backend.ts';
import type { DType } from '../../dtype.ts';
import type { Dispatch } from './wgsl.ts';
import { FLAT_INDEX, FLOAT_HELPERS, PARAMS_DECL, grid, paramBlock, wgslType } from './wgsl.ts';

const TREE = 256;

function accType(t: string): string {
  return t; // f32 sums accumulate in f32 (pairwise via the tree / Kahan in the loop), ints wrap like Int32Array
}

// Combine (va, ia) with a later candidate (vb, ib); returns whether b replaces a.
function betterExpr(op: ReduceOp, t: string): string {
  const nan = t === 'f32' ? (v: string) => `is_nan(${v})` : () => 'false';
  const cmp = op === 'max' || op === 'argmax' ? '>' : '<';
  // b wins if: b is NaN and (a is not NaN or b earlier); else a not NaN and (b better or tie with earlier index)
  return `(${nan('vb')} && (!${nan('va')} || ib < ia)) || (!${nan('va')} && !${nan('vb')} && (vb ${cmp} va || (vb == va && ib < ia)))`;
}

function initValue(op: ReduceOp, t: string): string {
  if (op === 'sum') return `${t}(0)`;
  const isMax = op === 'max' || op === 'argmax';
  if (t === 'f32') return isMax ? '-inf_f32()' : 'inf_f32()';
  if (t === 'i32') return isMax ? 'i32(-2147483647 - 1)' : 'i32(2147483647)';
  return isMax ? '0u' : '4294967295u';
}

function shader(op: ReduceOp, t: string, outT: string, perWorkgroup: boolean): string {
  const isArg = op === 'argmax' || op === 'argmin';
  const isSum = op === 'sum';
  const a = accType(t);
  // Empty axis: sum → 0, max/min → CPU's ±Infinity (0 once stored into an int array), arg → 0.
  const emptyValue = isArg ? `${outT}(0)` : isSum ? `${outT}(0)` : t === 'f32' ? initValue(op, t) : `${outT}(0)`;
  const store = isArg ? 'o[oi] = i32(best_i);' : isSum && t === 'u32' ? 'o[oi] = best_v & 0xffu;' : 'o[oi] = best_v;';
  const combine = isSum
    ? 'best_v = best_v + vb;'
    : `let va = best_v; let ia = best_i; if (${betterExpr(op, t)}) { best_v = vb; best_i = ib; }`;
  const header = `${PARAMS_DECL}${FLOAT_HELPERS}${FLAT_INDEX}
@group(0) @binding(1) var<storage, read> x: array<${t}>;
@group(0) @binding(2) var<storage, read_write> o: array<${outT}>;
`;
  if (!perWorkgroup) {
    // one thread per output; f32 sums use Kahan compensation so long axes stay accurate
    const loop = isSum && t === 'f32'
      ? `var comp = 0.0;
  for (var r = 0u; r < size; r++) { let y = x[base + r * inner] - comp; let s = best_v + y; comp = (s - best_v) - y; best_v = s; }`
      : `for (var r = 0u; r < size; r++) { let vb = x[base + r * inner]; let ib = r; ${combine} }`;
    return `${header}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let oi = flat_index(gid, nwg);
  let outer = p(0u); let size = p(1u); let inner = p(2u);
  if (oi >= outer * inner) { return; }
  if (size == 0u) { o[oi] = ${emptyValue}; return; }
  let base = (oi / inner) * size * inner + oi % inner;
  var best_v: ${a} = ${initValue(op, t)};
  var best_i = 0u;
  ${loop}
  ${store}
}`;
  }
  return `${header}
var<workgroup> sv: array<${a}, ${TREE}>;
var<workgroup> si: array<u32, ${TREE}>;
@compute @workgroup_size(${TREE})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let oi = wid.y * nwg.x + wid.x;
  let outer = p(0u); let size = p(1u); let inner = p(2u);
  let tid = lid.x;
  if (oi >= outer * inner) { return; }
  let base = (oi / inner) * size * inner + oi % inner;
  var best_v: ${a} = ${initValue(op, t)};
  var best_i = 0xffffffffu;
  for (var r = tid; r < size; r += ${TREE}u) { let vb = x[base + r * inner]; let ib = r; ${combine} }
  sv[tid] = best_v; si[tid] = best_i;
  workgroupBarrier();
  for (var s = ${TREE / 2}u; s > 0u; s = s >> 1u) {
    if (tid < s) {
      best_v = sv[tid]; best_i = si[tid];
      let vb = sv[tid + s]; let ib = si[tid + s];
      ${combine}
      sv[tid] = best_v; si[tid] = best_i;
    }
    workgroupBarrier();
  }
  if (tid == 0u) {
    if (size == 0u) { o[oi] = ${emptyValue}; return; }
    best_v = sv[0]; best_i = si[0];
    ${store}
  }
}`;
}

export function planReduce(dtype: DType, p: KernelParams['reduce']): Dispatch[] {
  const { op, outer, size, inner } = p;
  const t = wgslType(dtype);
  const outT = op === 'argmax' || op === 'argmin' ? 'i32' : t;
  const outputs = outer * inner;
  // one workgroup per output when outputs are few or the axis is contiguous and long
  const perWorkgroup = outputs < 2048 || (inner === 1 && size >= 64);
  const key = `reduce:${op}:${dtype}:${perWorkgroup ? 'tree' : 'loop'}`;
  let workgroups: [number, number, number];
  if (perWorkgroup) {
    const y = Math.ceil(outputs / 65535);
    workgroups = [Math.ceil(outputs / y), y, 1];
  } else {
    workgroups = grid(outputs);
  }
  return [{ key, code: () => shader(op, t, outT, perWorkgroup), params: paramBlock([outer, size, inner]), workgroups }];
}
