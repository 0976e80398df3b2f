// Fused row kernels: softmax / log-softmax, layer norm and cross-entropy, forward and backward.
// One workgroup per row; threads stride over the row, then reduce in workgroup memory (f32).
// Each mirrors its primitive composite's arithmetic (same shifts, same order of roundings where
// it matters) so results agree with the CPU reference to float32 rounding.
import type { FusedParams } from '../../backend.ts';
import type { Dispatch } from './wgsl.ts';
import { FLOAT_HELPERS, PARAMS_DECL, f32Bits, paramBlock } from './wgsl.ts';

/** Rows up to this long use 64-thread workgroups (less idle work on short rows). */
const SHORT_ROW = 256;

function wgFor(size: number): number {
  return size <= SHORT_ROW ? 64 : 256;
}

function rowGrid(rows: number): [number, number, number] {
  const y = Math.ceil(rows / 65535);
  return [Math.max(1, Math.ceil(rows / y)), Math.max(1, y), 1];
}

/** Workgroup reductions (every thread gets the result), NaN-propagating max. */
export function rowHelpers(wg: number): string {
  return /* wgsl */ `${PARAMS_DECL}${FLOAT_HELPERS}
var<workgroup> red: array<f32, ${wg}>;
fn max_nan(a: f32, b: f32) -> f32 { return select(max(a, b), nan_f32(), is_nan(a) || is_nan(b)); }
// Thread 0 combines the partials and shares the result: two barriers per reduction instead of
// a log-depth tree (software adapters split the shader at every barrier, and that dominates).
var<workgroup> red_out: f32;
fn wg_max(v: f32, tid: u32) -> f32 {
  red[tid] = v;
  workgroupBarrier();
  if (tid == 0u) {
    var r = red[0];
    for (var j = 1u; j < ${wg}u; j++) { r = max_nan(r, red[j]); }
    red_out = r;
  }
  workgroupBarrier();
  return red_out;
}
fn wg_sum(v: f32, tid: u32) -> f32 {
  red[tid] = v;
  workgroupBarrier();
  if (tid == 0u) {
    var r = 0.0;
    for (var j = 0u; j < ${wg}u; j++) { r += red[j]; }
    red_out = r;
  }
  workgroupBarrier();
  return red_out;
}
fn exp_(x: f32) -> f32 { return select(exp(x), x, is_nan(x)); }
fn log_(x: f32) -> f32 { return select(select(log(x), -inf_f32(), x == 0.0), nan_f32(), x < 0.0 || is_nan(x)); }
fn is_neg_inf(x: f32) -> bool { return is_inf(x) && x < 0.0; }
// logsumexp's shift: the max, or 0 when the max is ±inf (as reduce.ts logsumexp)
fn lse_shift(m: f32) -> f32 { return select(m, 0.0, is_inf(m)); }
`;
}

function entry(wg: number, body: string): string {
  return /* wgsl */ `
@compute @workgroup_size(${wg})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = wid.y * nwg.x + wid.x;
  let tid = lid.x;
  ${body}
}`;
}

/** Row max and Σ exp(x − shift) over x[base + r·stride]; defines m, shift, s. */
function maxAndSum(wg: number, read: (r: string) => string, shift: 'max' | 'lse'): string {
  return `
  var mx = -inf_f32();
  for (var r = tid; r < size; r += ${wg}u) { mx = max_nan(mx, ${read('r')}); }
  let m = wg_max(mx, tid);
  let shift = ${shift === 'lse' ? 'lse_shift(m)' : 'm'};
  var acc = 0.0;
  for (var r = tid; r < size; r += ${wg}u) { acc += exp_(${read('r')} - shift); }
  let s = wg_sum(acc, tid);`;
}

export function planSoftmax(p: FusedParams['softmax']): Dispatch[] {
  const wg = wgFor(p.size);
  const rows = p.outer * p.inner;
  const x = (r: string) => `x[base + ${r} * inner]`;
  // softmax: exp(x − max)/Σ; a max of −inf (all −inf row) gives NaN like (−inf) − (−inf).
  // log-softmax: (x − shift) − log Σ exp(x − shift); adding shift to the log first would round
  // it at the logits' scale (an error of 1e-4 at logits near 3000)
  const write = p.log
    ? `let ls = log_(s);
  for (var r = tid; r < size; r += ${wg}u) { y[base + r * inner] = (${x('r')} - shift) - ls; }`
    : `for (var r = tid; r < size; r += ${wg}u) { y[base + r * inner] = select(exp_(${x('r')} - m) / s, nan_f32(), is_neg_inf(m)); }`;
  const code = () => `${rowHelpers(wg)}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
${entry(wg, `
  let outer = p(0u); let size = p(1u); let inner = p(2u);
  if (row >= outer * inner) { return; }
  let base = (row / inner) * size * inner + row % inner;
  ${maxAndSum(wg, x, p.log ? 'lse' : 'max')}
  ${write}`)}`;
  return [{ key: `fused:softmax:${p.log ? 'log' : 'lin'}:${wg}`, code, params: paramBlock([p.outer, p.size, p.inner]), workgroups: rowGrid(rows) }];
}

export function planSoftmaxBackward(p: FusedParams['softmaxBackward']): Dispatch[] {
  const wg = wgFor(p.size);
  const rows = p.outer * p.inner;
  const at = 'base + r * inner';
  // log-softmax recomputes softmax from x: exp(y) would carry y's rounding (large for big logits)
  const body = p.log
    ? `${maxAndSum(wg, (r) => `y[base + ${r} * inner]`, 'lse')}
  acc = 0.0;
  for (var r = tid; r < size; r += ${wg}u) { acc += dy[${at}]; }
  let gs = wg_sum(acc, tid);
  for (var r = tid; r < size; r += ${wg}u) { dx[${at}] = dy[${at}] - (exp_(y[${at}] - shift) / s) * gs; }`
    : `var acc = 0.0;
  for (var r = tid; r < size; r += ${wg}u) { acc += dy[${at}] * y[${at}]; }
  let gs = wg_sum(acc, tid);
  for (var r = tid; r < size; r += ${wg}u) { dx[${at}] = y[${at}] * (dy[${at}] - gs); }`;
  const code = () => `${rowHelpers(wg)}
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;
${entry(wg, `
  let outer = p(0u); let size = p(1u); let inner = p(2u);
  if (row >= outer * inner) { return; }
  let base = (row / inner) * size * inner + row % inner;
  ${body}`)}`;
  return [{ key: `fused:softmaxBackward:${p.log ? 'log' : 'lin'}:${wg}`, code, params: paramBlock([p.outer, p.size, p.inner]), workgroups: rowGrid(rows) }];
}

/**
 * Row statistics as layerNorm's composite computes them: mean, a second centring pass on the
 * residual, biased variance; defines m1, m2 and rstd (centred value: (x − m1) − m2).
 */
function layerNormStats(wg: number): string {
  return `
  let n = f32(size);
  var a = 0.0;
  for (var r = tid; r < size; r += ${wg}u) { a += x[base + r]; }
  let m1 = wg_sum(a, tid) / n;
  a = 0.0;
  for (var r = tid; r < size; r += ${wg}u) { a += x[base + r] - m1; }
  let m2 = wg_sum(a, tid) / n;
  a = 0.0;
  for (var r = tid; r < size; r += ${wg}u) { let c = (x[base + r] - m1) - m2; a += c * c; }
  let variance = wg_sum(a, tid) / n;
  let rstd = 1.0 / sqrt(variance + bitcast<f32>(p(2u)));`;
}

export function planLayerNorm(p: FusedParams['layerNorm']): Dispatch[] {
  const wg = wgFor(p.size);
  const extra = (p.hasWeight ? 1 : 0) + (p.hasBias ? 1 : 0);
  let binding = 2;
  const wDecl = p.hasWeight ? `@group(0) @binding(${binding++}) var<storage, read> w: array<f32>;` : '';
  const bDecl = p.hasBias ? `@group(0) @binding(${binding++}) var<storage, read> b: array<f32>;` : '';
  let yExpr = '((x[base + r] - m1) - m2) * rstd';
  if (p.hasWeight) yExpr = `(${yExpr}) * w[r]`;
  if (p.hasBias) yExpr = `(${yExpr}) + b[r]`;
  const code = () => `${rowHelpers(wg)}
@group(0) @binding(1) var<storage, read> x: array<f32>;
${wDecl}
${bDecl}
@group(0) @binding(${2 + extra}) var<storage, read_write> y: array<f32>;
${entry(wg, `
  let rows = p(0u); let size = p(1u);
  if (row >= rows) { return; }
  let base = row * size;
  ${layerNormStats(wg)}
  for (var r = tid; r < size; r += ${wg}u) { y[base + r] = ${yExpr}; }`)}`;
  return [{
    key: `fused:layerNorm:${p.hasWeight ? 'w' : ''}${p.hasBias ? 'b' : ''}:${wg}`,
    code,
    params: paramBlock([p.rows, p.size, f32Bits(p.eps)]),
    workgroups: rowGrid(p.rows),
  }];
}

export function planLayerNormBackward(p: FusedParams['layerNormBackward']): Dispatch[] {
  const wg = wgFor(p.size);
  const wDecl = p.hasWeight ? '@group(0) @binding(3) var<storage, read> w: array<f32>;' : '';
  const o = p.hasWeight ? 4 : 3;
  const dxhat = p.hasWeight ? 'dy[base + r] * w[r]' : 'dy[base + r]';
  const code = () => `${rowHelpers(wg)}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
${wDecl}
@group(0) @binding(${o}) var<storage, read_write> dx: array<f32>;
@group(0) @binding(${o + 1}) var<storage, read_write> dyxhat: array<f32>;
${entry(wg, `
  let rows = p(0u); let size = p(1u);
  if (row >= rows) { return; }
  let base = row * size;
  ${layerNormStats(wg)}
  // dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)), dx̂ = dy·w
  var sg = 0.0; var sgx = 0.0;
  for (var r = tid; r < size; r += ${wg}u) {
    let xhat = ((x[base + r] - m1) - m2) * rstd;
    let g = ${dxhat};
    sg += g; sgx += g * xhat;
    dyxhat[base + r] = dy[base + r] * xhat;
  }
  let mg = wg_sum(sg, tid) / n;
  let mgx = wg_sum(sgx, tid) / n;
  for (var r = tid; r < size; r += ${wg}u) {
    let xhat = ((x[base + r] - m1) - m2) * rstd;
    dx[base + r] = rstd * ((${dxhat} - mg) - xhat * mgx);
  }`)}`;
  return [{
    key: `fused:layerNormBackward:${p.hasWeight ? 'w' : ''}:${wg}`,
    code,
    params: paramBlock([p.rows, p.size, f32Bits(p.eps)]),
    workgroups: rowGrid(p.rows),
  }];
}

export function planCrossEntropy(p: FusedParams['crossEntropy']): Dispatch[] {
  const wg = wgFor(p.classes);
  const code = () => `${rowHelpers(wg)}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> tgt: array<i32>;
@group(0) @binding(3) var<storage, read_write> loss: array<f32>;
${entry(wg, `
  let rows = p(0u); let size = p(1u); let ignore = bitcast<i32>(p(2u));
  if (row >= rows) { return; }
  let base = row * size;
  ${maxAndSum(wg, (r) => `x[base + ${r}]`, 'lse')}
  let ls = log_(s);
  if (tid == 0u) {
    let t = tgt[row];
    if (t == ignore) { loss[row] = 0.0; }
    else if (t < 0 || t >= i32(size)) { loss[row] = nan_f32(); }
    else { loss[row] = ls - (x[base + u32(t)] - shift); } // −log-softmax, as the composite
  }`)}`;
  return [{ key: `fused:crossEntropy:${wg}`, code, params: paramBlock([p.rows, p.classes, p.ignoreIndex]), workgroups: rowGrid(p.rows) }];
}

export function planCrossEntropyBackward(p: FusedParams['crossEntropyBackward']): Dispatch[] {
  const wg = wgFor(p.classes);
  const code = () => `${rowHelpers(wg)}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> tgt: array<i32>;
@group(0) @binding(3) var<storage, read> dloss: array<f32>;
@group(0) @binding(4) var<storage, read_write> dx: array<f32>;
${entry(wg, `
  let rows = p(0u); let size = p(1u); let ignore = bitcast<i32>(p(2u));
  if (row >= rows) { return; }
  let base = row * size;
  ${maxAndSum(wg, (r) => `x[base + ${r}]`, 'lse')}
  let t = tgt[row];
  let g = select(dloss[row], 0.0, t == ignore);
  for (var r = tid; r < size; r += ${wg}u) {
    let sm = exp_(x[base + r] - shift) / s;
    dx[base + r] = (sm - select(0.0, 1.0, i32(r) == t)) * g;
  }`)}`;
  return [{ key: `fused:crossEntropyBackward:${wg}`, code, params: paramBlock([p.rows, p.classes, p.ignoreIndex]), workgroups: rowGrid(p.rows) }];
}
