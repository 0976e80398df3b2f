// Range checks of index values that live only on the GPU. One workgroup walks the indices, finds
// the first bad position with a workgroup atomicMin, and thread 0 records (check id, position,
// value) in the error flag unless an earlier check already did: dispatches run in order, so the
// flag holds the first failure in program order until a read copies and clears it.
import type { IndexCheck } from '../../backend.ts';
import type { Dispatch } from './wgsl.ts';
import { PARAMS_DECL, paramBlock } from './wgsl.ts';

const THREADS = 256;
/** u32 words in the error flag: [check id (0: none), position, value, unused]. */
export const ERROR_FLAG_WORDS = 4;

const code = () => `${PARAMS_DECL}
@group(0) @binding(1) var<storage, read> idx: array<i32>;
@group(0) @binding(2) var<storage, read_write> flag: array<u32, ${ERROR_FLAG_WORDS}>;
var<workgroup> first: atomic<u32>;
@compute @workgroup_size(${THREADS})
fn main(@builtin(local_invocation_id) lid: vec3<u32>) {
  let n = p(0u);
  let low = bitcast<i32>(p(1u)); let high = bitcast<i32>(p(2u));
  let hasSkip = p(3u) != 0u; let skip = bitcast<i32>(p(4u));
  if (lid.x == 0u) { atomicStore(&first, 0xffffffffu); }
  workgroupBarrier();
  for (var i = lid.x; i < n; i += ${THREADS}u) {
    let v = idx[i];
    if ((v < low || v >= high) && !(hasSkip && v == skip)) { atomicMin(&first, i); break; }
  }
  workgroupBarrier();
  if (lid.x != 0u) { return; }
  let at = atomicLoad(&first);
  if (at != 0xffffffffu && flag[0] == 0u) {
    flag[0] = p(5u);
    flag[1] = at;
    flag[2] = bitcast<u32>(idx[at]);
  }
}`;

export function planIndexCheck(n: number, check: IndexCheck, id: number): Dispatch[] {
  const i32 = (v: number) => Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, v));
  return [{
    key: 'indexCheck',
    code,
    params: paramBlock([n, i32(check.low), i32(check.high), check.skip === null ? 0 : 1, check.skip === null ? 0 : i32(check.skip), id]),
    workgroups: [1, 1, 1],
  }];
}
