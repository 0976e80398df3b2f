// Shared WGSL pieces and the dispatch description every kernel planner returns.
// Shapes, strides and sizes travel in a 256-byte uniform block (64 u32), so one compiled
// pipeline serves every shape; only dtype and a few layout variants select the shader.
import type { DType } from '../../dtype.ts';

/** u32 slots in the per-dispatch uniform block. */
export const PARAM_SLOTS = 64;
/** Highest rank a strided kernel takes after dims are collapsed (4 stride sets × 12 + header fit in 64). */
export const MAX_RANK = 12;
export const WG = 256;

export interface Dispatch {
  /** Pipeline cache key: kernel + dtypes + layout variant, never a shape. */
  key: string;
  code: () => string;
  /** Uniform values (u32 bit patterns). */
  params: Uint32Array;
  workgroups: [number, number, number];
}

export function wgslType(dtype: DType): 'f32' | 'i32' | 'u32' {
  return dtype === 'float32' ? 'f32' : dtype === 'int32' ? 'i32' : 'u32';
}

export const PARAMS_DECL = /* wgsl */ `
struct Params { v: array<vec4<u32>, ${PARAM_SLOTS / 4}> }
@group(0) @binding(0) var<uniform> P: Params;
fn p(i: u32) -> u32 { return P.v[i >> 2u][i & 3u]; }
`;

// NaN/Inf tests on bit patterns: drivers may assume IEEE-free float math for comparisons.
export const FLOAT_HELPERS = /* wgsl */ `
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn is_inf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
// private vars: NaN/Inf are not allowed as WGSL constants, so build them at run time
var<private> NAN_BITS: u32 = 0x7fc00000u;
var<private> INF_BITS: u32 = 0x7f800000u;
fn nan_f32() -> f32 { return bitcast<f32>(NAN_BITS); }
fn inf_f32() -> f32 { return bitcast<f32>(INF_BITS); }
// JS ToInt32 of trunc(x): NaN/Inf → 0, out-of-range values wrap modulo 2^32 (Int32Array stores).
fn to_i32(x: f32) -> i32 {
  if (is_nan(x) || is_inf(x)) { return 0; }
  let ax = abs(x);
  if (ax < 2147483648.0) { return i32(trunc(x)); }
  let bits = bitcast<u32>(ax);
  let sh = i32((bits >> 23u) & 0xffu) - 150;
  var r = 0u;
  if (sh < 32) { r = ((bits & 0x7fffffu) | 0x800000u) << u32(sh); }
  return bitcast<i32>(select(r, 0u - r, x < 0.0));
}
// sin/cos to ~1 ulp on any conforming adapter (WGSL only promises 2^-11 absolute): reduce by
// π/2 in three parts (Cody–Waite), then short Taylor series on [-π/4, π/4].
fn sin_cos_poly(x: f32, want_cos: bool) -> f32 {
  if (is_nan(x) || is_inf(x)) { return nan_f32(); }
  if (abs(x) > 1.0e5) { return select(sin(x), cos(x), want_cos); }
  let q = round(x * 0.6366197723675814);
  let r = ((x - q * 1.5703125) - q * 4.837512969970703125e-4) - q * 7.54978995489188216e-8;
  let r2 = r * r;
  let s = r + r * r2 * (-1.0 / 6.0 + r2 * (1.0 / 120.0 + r2 * (-1.0 / 5040.0 + r2 * (1.0 / 362880.0))));
  let c = 1.0 + r2 * (-0.5 + r2 * (1.0 / 24.0 + r2 * (-1.0 / 720.0 + r2 * (1.0 / 40320.0 + r2 * (-1.0 / 3628800.0)))));
  var quadrant = i32(q) & 3;
  if (want_cos) { quadrant = (quadrant + 1) & 3; }
  switch (quadrant) {
    case 0: { return s; }
    case 1: { return c; }
    case 2: { return -s; }
    default: { return -c; }
  }
}
`;

/** Flat thread index over a 2-D grid of 256-wide workgroups (more than 65535 groups fit). */
export const FLAT_INDEX = /* wgsl */ `
fn flat_index(gid: vec3<u32>, nwg: vec3<u32>) -> u32 { return gid.y * nwg.x * ${WG}u + gid.x; }
`;

/**
 * A shader with one invocation per output element (256 per workgroup, a flat index over a 2-D
 * grid): `preamble` holds helper functions, `bindings` the buffers, `body` the work for element `i`.
 */
export function perElementShader(preamble: string, bindings: string, body: string): string {
  return `${PARAMS_DECL}${preamble}${FLAT_INDEX}
${bindings}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= p(0u)) { return; }
  ${body}
}`;
}

/** Workgroup grid covering n threads of 256. */
export function grid(n: number): [number, number, number] {
  const groups = Math.ceil(n / WG);
  if (groups <= 65535) return [Math.max(groups, 1), 1, 1];
  const y = Math.ceil(groups / 65535);
  return [Math.ceil(groups / y), y, 1];
}

/** Writes numbers into a u32 param block; negative ints are stored as two's complement. */
export function paramBlock(values: readonly number[]): Uint32Array {
  if (values.length > PARAM_SLOTS) throw new Error(`webgpu: ${values.length} params exceed ${PARAM_SLOTS}`);
  const out = new Uint32Array(PARAM_SLOTS);
  for (let i = 0; i < values.length; i++) out[i] = values[i] >>> 0;
  return out;
}

export function f32Bits(x: number): number {
  return new Uint32Array(new Float32Array([x]).buffer)[0];
}

/**
 * WGSL that turns a contiguous output index `i` into offsets for `sets` stride sets.
 * Params layout: rank at `rankSlot`, shape at `base`, stride set k at base + rank*(k+1).
 */
export function stridedOffsets(sets: number, rankSlot: number, base: number): string {
  const decl = Array.from({ length: sets }, (_, k) => `var off${k} = 0u;`).join(' ');
  const acc = Array.from({ length: sets }, (_, k) => `off${k} += c * p(${base}u + rank * ${k + 1}u + d);`).join(' ');
  return /* wgsl */ `
  let rank = p(${rankSlot}u);
  var rem = i;
  ${decl}
  for (var dd = rank; dd > 0u; dd--) {
    let d = dd - 1u;
    let s = p(${base}u + d);
    let c = rem % s;
    rem = rem / s;
    ${acc}
  }`;
}
