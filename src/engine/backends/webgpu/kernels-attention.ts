// Scaled dot-product attention for inference in one kernel: a workgroup per (batch, query row)
// walks the keys in blocks of 64 with an online softmax (running max m and normaliser l,
// rescaling the output accumulator when m grows), so no [L, S] score matrix is ever stored.
// Causal rows stop at their own position; masks are read through strides (broadcast for free).
import type { FusedParams } from '../../backend.ts';
import { rowHelpers } from './kernels-fused-rows.ts';
import type { Dispatch } from './wgsl.ts';
import { f32Bits, paramBlock } from './wgsl.ts';

const BLOCK = 64;
/** Largest q/k and v head size the kernel takes (q row in workgroup memory, 4 outputs a thread). */
export const ATTENTION_MAX_DIM = 256;
const MAX_BATCH_RANK = 4;

export function planAttention(p: FusedParams['attention']): Dispatch[] | null {
  if (p.E > ATTENTION_MAX_DIM || p.Ev > ATTENTION_MAX_DIM || p.batchShape.length > MAX_BATCH_RANK) return null;
  const batch = p.batchShape.reduce((a, b) => a * b, 1);
  const rows = batch * p.L;
  if (rows === 0) return [];
  const maskDecl = p.mask === 'none' ? '' : `@group(0) @binding(4) var<storage, read> mask: array<${p.mask === 'bool' ? 'u32' : 'f32'}>;`;
  const out = p.mask === 'none' ? 4 : 5;
  const applyMask = p.mask === 'bool'
    ? 'if (mask[moff + s * p(17u)] == 0u) { score = -inf_f32(); }'
    : p.mask === 'float' ? 'score = score + mask[moff + s * p(17u)];' : '';
  const perThread = ATTENTION_MAX_DIM / BLOCK;
  const code = () => `${rowHelpers(BLOCK)}
var<workgroup> qs: array<f32, ${ATTENTION_MAX_DIM}>;
var<workgroup> ps: array<f32, ${BLOCK}>;
@group(0) @binding(1) var<storage, read> q: array<f32>;
@group(0) @binding(2) var<storage, read> k: array<f32>;
@group(0) @binding(3) var<storage, read> v: array<f32>;
${maskDecl}
@group(0) @binding(${out}) var<storage, read_write> o: array<f32>;
@compute @workgroup_size(${BLOCK})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let wgi = wid.y * nwg.x + wid.x;
  let tid = lid.x;
  let B = p(0u); let L = p(1u); let S = p(2u); let E = p(3u); let Ev = p(4u);
  let scale = bitcast<f32>(p(5u));
  if (wgi >= B * L) { return; }
  let b = wgi / L; let l = wgi % L;
  for (var e = tid; e < E; e += ${BLOCK}u) { qs[e] = q[wgi * E + e]; }
  // mask offset of (b, l): batch index unravelled over the batch shape
  let nb = p(7u);
  var rem = b; var moff = l * p(16u);
  for (var dd = nb; dd > 0u; dd--) {
    let d = dd - 1u;
    let sz = p(8u + d);
    moff += (rem % sz) * p(12u + d);
    rem = rem / sz;
  }
  workgroupBarrier();
  let send = select(S, min(S, l + 1u), p(6u) != 0u);
  var m = -inf_f32();
  var lsum = 0.0;
  var acc: array<f32, ${perThread}>;
  for (var kb = 0u; kb < send; kb += ${BLOCK}u) {
    let s = kb + tid;
    var score = -inf_f32();
    if (s < send) {
      var dot = 0.0;
      let kr = (b * S + s) * E;
      for (var e = 0u; e < E; e++) { dot += qs[e] * k[kr + e]; }
      score = dot * scale;
      ${applyMask}
    }
    let mn = max(m, wg_max(score, tid));
    var pe = 0.0;
    if (!is_neg_inf(score)) { pe = exp_(score - mn); }
    ps[tid] = pe;
    let alpha = select(exp_(m - mn), 1.0, is_neg_inf(mn));
    lsum = lsum * alpha + wg_sum(pe, tid);
    let n = min(${BLOCK}u, send - kb);
    for (var t = 0u; t < ${perThread}u; t++) {
      let j = tid + t * ${BLOCK}u;
      if (j < Ev) {
        var a = acc[t] * alpha;
        let vb = (b * S + kb) * Ev + j;
        for (var r = 0u; r < n; r++) { a += ps[r] * v[vb + r * Ev]; }
        acc[t] = a;
      }
    }
    m = mn;
    workgroupBarrier();
  }
  for (var t = 0u; t < ${perThread}u; t++) {
    let j = tid + t * ${BLOCK}u;
    if (j < Ev) { o[wgi * Ev + j] = select(acc[t] / lsum, nan_f32(), lsum == 0.0); }
  }
}`;
  const nb = p.batchShape.length;
  const params = new Array<number>(18).fill(0);
  params[0] = batch; params[1] = p.L; params[2] = p.S; params[3] = p.E; params[4] = p.Ev;
  params[5] = f32Bits(p.scale); params[6] = p.causal ? 1 : 0; params[7] = nb;
  for (let d = 0; d < nb; d++) { params[8 + d] = p.batchShape[d]; params[12 + d] = p.maskStrides[d] ?? 0; }
  params[16] = p.maskStrideL; params[17] = p.maskStrideS;
  const y = Math.ceil(rows / 65535);
  return [{
    key: `fused:attention:${p.mask}`,
    code,
    params: paramBlock(params),
    workgroups: [Math.ceil(rows / y), y, 1],
  }];
}
