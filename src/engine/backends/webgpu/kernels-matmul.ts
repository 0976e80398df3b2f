// Batched matmul. Large outputs: 64×64 tiles per workgroup staged through workgroup memory,
// each of the 256 threads keeps a 4×4 block of C in registers; tiles load as vec4 where the
// contiguous dim and the batch stride are multiples of 4. Few outputs (matrix-vector, tiny
// results): one workgroup per output element splits k and sums with a tree.
// Opt-in f16 storage (tiled path only): operands are read from f16 copies (half the bytes),
// widened to f32 as they land in workgroup memory; products and sums stay f32.
import type { KernelParams } from '../../backend.ts';
import type { Dispatch } from './wgsl.ts';
import { PARAMS_DECL, grid, paramBlock } from './wgsl.ts';

const TILE = 64;
const KT = 16;
const SPLIT_K_THREADS = 64;

// Params: 0 m, 1 k, 2 n, 3 aBatchStride, 4 bBatchStride, 5 batch, 6 tilesN (split-k: outputs)
function tiledShader(transA: boolean, transB: boolean, vecA: boolean, vecB: boolean, half: boolean): string {
  // f16 copies are bound as packed u32 words (2 values each) and widened with unpack2x16float:
  // llvmpipe compiles per-element f16 loads very slowly (seconds), packed words in milliseconds
  const aT = half ? (vecA ? 'vec2<u32>' : 'u32') : vecA ? 'vec4<f32>' : 'f32';
  const bT = half ? (vecB ? 'vec2<u32>' : 'u32') : vecB ? 'vec4<f32>' : 'f32';
  const vecLoad = (buf: string) => half
    ? `let w = ${buf}[e >> 2u]; return vec4<f32>(unpack2x16float(w.x), unpack2x16float(w.y));`
    : `return ${buf}[e >> 2u];`;
  const scalarLoad = (buf: string, at: string) => half ? `unpack2x16float(${buf}[(${at}) >> 1u])[(${at}) & 1u]` : `${buf}[${at}]`;
  // Each loader reads 4 consecutive elements along the operand's contiguous dim starting at
  // flat element `e` (bounds checked per element when not vec4-aligned).
  const load4 = (buf: string, vec: boolean) => vec
    ? `fn load_${buf}(e: u32, valid: u32) -> vec4<f32> { if (valid == 0u) { return vec4<f32>(0.0); } ${vecLoad(buf)} }`
    : `fn load_${buf}(e: u32, valid: u32) -> vec4<f32> {
  var v = vec4<f32>(0.0);
  for (var c = 0u; c < valid; c++) { v[c] = ${scalarLoad(buf, 'e + c')}; }
  return v;
}`;
  // A tile: rows m0..m0+63, k k0..k0+15 → As[kk*16 + row/4][row%4]
  const loadA = transA
    ? `{ // A stored [k, m]: contiguous along m
      let kk = t / 16u; let mq = (t % 16u) * 4u;
      let gk = k0 + kk; let gm = m0 + mq;
      var valid = 0u; if (gk < K) { valid = min(4u, max(M, gm) - gm); }
      As[kk * 16u + mq / 4u] = load_a(aOff + gk * M + gm, valid);
    }`
    : `{ // A stored [m, k]: contiguous along k
      let row = t / 4u; let kq = (t % 4u) * 4u;
      let gm = m0 + row; let gk = k0 + kq;
      var valid = 0u; if (gm < M) { valid = min(4u, max(K, gk) - gk); }
      let v = load_a(aOff + gm * K + gk, valid);
      for (var c = 0u; c < 4u; c++) { As[(kq + c) * 16u + row / 4u][row % 4u] = v[c]; }
    }`;
  const loadB = transB
    ? `{ // B stored [n, k]: contiguous along k
      let col = t / 4u; let kq = (t % 4u) * 4u;
      let gn = n0 + col; let gk = k0 + kq;
      var valid = 0u; if (gn < N) { valid = min(4u, max(K, gk) - gk); }
      let v = load_b(bOff + gn * K + gk, valid);
      for (var c = 0u; c < 4u; c++) { Bs[(kq + c) * 16u + col / 4u][col % 4u] = v[c]; }
    }`
    : `{ // B stored [k, n]: contiguous along n
      let kk = t / 16u; let nq = (t % 16u) * 4u;
      let gk = k0 + kk; let gn = n0 + nq;
      var valid = 0u; if (gk < K) { valid = min(4u, max(N, gn) - gn); }
      Bs[kk * 16u + nq / 4u] = load_b(bOff + gk * N + gn, valid);
    }`;
  return `${PARAMS_DECL}
@group(0) @binding(1) var<storage, read> a: array<${aT}>;
@group(0) @binding(2) var<storage, read> b: array<${bT}>;
@group(0) @binding(3) var<storage, read_write> o: array<f32>;
var<workgroup> As: array<vec4<f32>, ${KT * 16}>;
var<workgroup> Bs: array<vec4<f32>, ${KT * 16}>;
${load4('a', vecA)}
${load4('b', vecB)}
@compute @workgroup_size(16, 16)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let M = p(0u); let K = p(1u); let N = p(2u);
  let tilesN = p(6u);
  let m0 = (wid.x / tilesN) * ${TILE}u;
  let n0 = (wid.x % tilesN) * ${TILE}u;
  let batch = wid.y + wid.z * 65535u;
  if (batch >= p(5u)) { return; }
  let aOff = batch * p(3u);
  let bOff = batch * p(4u);
  let tx = lid.x; let ty = lid.y;
  let t = ty * 16u + tx;
  var acc0 = vec4<f32>(0.0); var acc1 = vec4<f32>(0.0); var acc2 = vec4<f32>(0.0); var acc3 = vec4<f32>(0.0);
  for (var k0 = 0u; k0 < K; k0 += ${KT}u) {
    ${loadA}
    ${loadB}
    workgroupBarrier();
    for (var kk = 0u; kk < ${KT}u; kk++) {
      let av = As[kk * 16u + ty];
      let bv = Bs[kk * 16u + tx];
      acc0 += av.x * bv; acc1 += av.y * bv; acc2 += av.z * bv; acc3 += av.w * bv;
    }
    workgroupBarrier();
  }
  let cOff = batch * M * N;
  let col = n0 + tx * 4u;
  var accs = array<vec4<f32>, 4>(acc0, acc1, acc2, acc3);
  for (var r = 0u; r < 4u; r++) {
    let row = m0 + ty * 4u + r;
    if (row >= M) { break; }
    for (var c = 0u; c < 4u; c++) {
      if (col + c < N) { o[cOff + row * N + col + c] = accs[r][c]; }
    }
  }
}`;
}

function splitKShader(transA: boolean, transB: boolean): string {
  const aIdx = transA ? 'aOff + kk * M + row' : 'aOff + row * K + kk';
  const bIdx = transB ? 'bOff + col * K + kk' : 'bOff + kk * N + col';
  return `${PARAMS_DECL}
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> o: array<f32>;
var<workgroup> part: array<f32, ${SPLIT_K_THREADS}>;
@compute @workgroup_size(${SPLIT_K_THREADS})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let M = p(0u); let K = p(1u); let N = p(2u);
  let oi = wid.y * nwg.x + wid.x;
  if (oi >= p(6u)) { return; }
  let batch = oi / (M * N);
  let row = (oi / N) % M;
  let col = oi % N;
  let aOff = batch * p(3u);
  let bOff = batch * p(4u);
  var s = 0.0;
  for (var kk = lid.x; kk < K; kk += ${SPLIT_K_THREADS}u) { s += a[${aIdx}] * b[${bIdx}]; }
  part[lid.x] = s;
  workgroupBarrier();
  for (var h = ${SPLIT_K_THREADS / 2}u; h > 0u; h = h >> 1u) {
    if (lid.x < h) { part[lid.x] += part[lid.x + h]; }
    workgroupBarrier();
  }
  if (lid.x == 0u) { o[oi] = part[0]; }
}`;
}

/** Few outputs with a thin side go to the split-k kernel; the rest to 64×64 tiles. */
export function matmulIsTiled(p: KernelParams['matmul']): boolean {
  return !(p.batch * p.m * p.n <= 4096 && (p.m < 16 || p.n < 16));
}

/** `storage` 'f16': the operands bound are f16 copies (tiled matmuls only; see matmulIsTiled). */
export function planMatmul(p: KernelParams['matmul'], storage: 'f32' | 'f16' = 'f32'): Dispatch[] {
  const { batch, m, k, n, transA, transB, aBatchStride, bBatchStride } = p;
  const outputs = batch * m * n;
  const base = [m, k, n, aBatchStride, bBatchStride, batch];
  if (!matmulIsTiled(p)) {
    if (storage === 'f16') throw new Error('webgpu: f16 operands reached the split-k matmul');
    const y = Math.ceil(outputs / 65535);
    return [{
      key: `matmul:splitk:${+transA}${+transB}`,
      code: () => splitKShader(transA, transB),
      params: paramBlock([...base, outputs]),
      workgroups: [Math.ceil(outputs / y), y, 1],
    }];
  }
  const contA = transA ? m : k;
  const contB = transB ? k : n;
  const vecA = contA % 4 === 0 && aBatchStride % 4 === 0;
  const vecB = contB % 4 === 0 && bBatchStride % 4 === 0;
  const tilesM = Math.ceil(m / TILE);
  const tilesN = Math.ceil(n / TILE);
  const bz = Math.ceil(batch / 65535);
  return [{
    key: `matmul:tiled:${+transA}${+transB}${+vecA}${+vecB}:${storage}`,
    code: () => tiledShader(transA, transB, vecA, vecB, storage === 'f16'),
    params: paramBlock([...base, tilesN]),
    workgroups: [tilesM * tilesN, Math.min(batch, 65535), bz],
  }];
}

/** f32 → f16 copy, two values a thread (one 32-bit store); an odd tail pads with 0. */
export function planToF16(size: number): Dispatch[] {
  const pairs = Math.ceil(size / 2);
  return [{
    key: 'toF16',
    code: () => `enable f16;
${PARAMS_DECL}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> o: array<vec2<f16>>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.y * nwg.x * 256u + gid.x;
  if (i >= p(1u)) { return; }
  let j = 2u * i;
  var hi = 0.0;
  if (j + 1u < p(0u)) { hi = x[j + 1u]; }
  o[i] = vec2<f16>(vec2<f32>(x[j], hi));
}`,
    params: paramBlock([size, pairs]),
    workgroups: grid(pairs),
  }];
}
