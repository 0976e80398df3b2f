// fill, cast, unary, binary and where in WGSL. Semantics follow the CPU reference (JS number
// rules): NaN propagates through max/min, NaN is falsy, int division truncates (x/0 → 0).
// bool lives on the GPU as one u32 per element.
import type { BinaryOp, KernelParams, UnaryOp } from '../../backend.ts';
import type { DType } from '../../dtype.ts';
import { collapseDims } from '../../shape.ts';
import type { Dispatch } from './wgsl.ts';
import {
  FLOAT_HELPERS, MAX_RANK, perElementShader, f32Bits, grid, paramBlock, stridedOffsets, wgslType,
} from './wgsl.ts';

function elementwiseShader(bindings: string, body: string, extra = ''): string {
  return perElementShader(`${FLOAT_HELPERS}${extra}`, bindings, body);
}

/** Fill writes a host-computed bit pattern, so one shader serves every dtype. */
export function planFill(out: { dtype: DType; size: number }, p: KernelParams['fill']): Dispatch[] {
  const bits = out.dtype === 'float32' ? f32Bits(p.value) : out.dtype === 'int32' ? p.value | 0 : p.value & 0xff;
  return [{
    key: 'fill',
    code: () => elementwiseShader('@group(0) @binding(1) var<storage, read_write> o: array<u32>;', 'o[i] = p(1u);'),
    params: paramBlock([out.size, bits]),
    workgroups: grid(out.size),
  }];
}

const TRUTHY = { f32: (x: string) => `(${x} != 0.0 && !is_nan(${x}))`, i32: (x: string) => `(${x} != 0)`, u32: (x: string) => `(${x} != 0u)` };

export function planCast(from: DType, to: DType, size: number): Dispatch[] {
  const a = wgslType(from), o = wgslType(to);
  let expr: string;
  if (from === to) expr = 'x';
  else if (to === 'bool') expr = `select(0u, 1u, ${TRUTHY[a]('x')})`;
  else if (to === 'int32' && a === 'f32') expr = 'to_i32(x)';
  else expr = `${o}(x)`;
  return [{
    key: `cast:${from}:${to}`,
    code: () => elementwiseShader(
      `@group(0) @binding(1) var<storage, read> a: array<${a}>;\n@group(0) @binding(2) var<storage, read_write> o: array<${o}>;`,
      `let x = a[i]; o[i] = ${expr};`),
    params: paramBlock([size]),
    workgroups: grid(size),
  }];
}

// Float unary ops; the int variants compute in f32 and truncate, like the CPU's Int32Array store.
const UNARY_F32: Record<Exclude<UnaryOp, 'isinf' | 'isnan' | 'not'>, string> = {
  neg: '-x',
  exp: 'select(exp(x), x, is_nan(x))',
  log: 'select(select(log(x), -inf_f32(), x == 0.0), nan_f32(), x < 0.0 || is_nan(x))',
  sqrt: 'select(sqrt(x), nan_f32(), x < 0.0 || is_nan(x))',
  abs: 'abs(x)',
  tanh: 'select(tanh(clamp(x, -15.0, 15.0)), x, is_nan(x))',
  sigmoid: 'sigmoid_(x)',
  relu: 'select(0.0, x, x > 0.0 && !is_nan(x))',
  sin: 'sin_cos_poly(x, false)',
  cos: 'sin_cos_poly(x, true)',
  erf: 'erf_(x)',
  sign: 'select(select(select(x, -1.0, x < 0.0), 1.0, x > 0.0), x, is_nan(x))',
};

export const UNARY_HELPERS = /* wgsl */ `
fn sigmoid_(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}
// Same Chebyshev-fitted erfc as the CPU reference.
fn erf_(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let ax = abs(x);
  let t = 1.0 / (1.0 + 0.5 * ax);
  let y = t * exp(-ax * ax - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return sign(x) * (1.0 - y);
}
`;

export function planUnary(op: UnaryOp, dtype: DType, size: number): Dispatch[] {
  const t = wgslType(dtype);
  let outT: string = t;
  let expr: string;
  if (op === 'isnan' || op === 'isinf') {
    outT = 'u32';
    expr = t === 'f32' ? `select(0u, 1u, is_${op.slice(2)}(x))` : '0u';
  } else if (op === 'not') {
    outT = 'u32';
    expr = `select(1u, 0u, ${TRUTHY[t]('x')})`;
  } else if (t === 'f32') {
    expr = UNARY_F32[op];
  } else if (op === 'neg' || op === 'abs') {
    expr = t === 'i32' ? (op === 'neg' ? '-x' : 'abs(x)') : 'x';
  } else if (op === 'sign') {
    expr = t === 'i32' ? 'sign(x)' : 'min(x, 1u)';
  } else if (op === 'relu') {
    expr = t === 'i32' ? 'max(x, 0)' : 'x';
  } else {
    // transcendental op on ints: compute in f32, truncate (NaN/Inf store as 0 like Int32Array)
    const f = UNARY_F32[op].replace(/\bx\b/g, 'xf');
    return [unaryDispatch(op, dtype, t, t, `let xf = f32(x); let r = ${f}; o[i] = ${t}(to_i32(r));`, size)];
  }
  return [unaryDispatch(op, dtype, t, outT, `o[i] = ${expr};`, size)];
}

function unaryDispatch(op: UnaryOp, dtype: DType, inT: string, outT: string, body: string, size: number): Dispatch {
  return {
    key: `unary:${op}:${dtype}`,
    code: () => elementwiseShader(
      `@group(0) @binding(1) var<storage, read> a: array<${inT}>;\n@group(0) @binding(2) var<storage, read_write> o: array<${outT}>;`,
      `let x = a[i]; ${body}`, UNARY_HELPERS),
    params: paramBlock([size]),
    workgroups: grid(size),
  };
}

const COMPARE_OPS = new Set<BinaryOp>(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or']);

const BINARY_HELPERS = /* wgsl */ `
// |a|^b to a few ulps: split a = m·2^e, take b·e as an exact two-product (fma), so only
// b·log2(m) (|log2 m| < 1) goes through the transcendental; the power of two is applied exactly.
fn exp2_log2(a: f32, b: f32) -> f32 {
  let bits = bitcast<u32>(a);
  let e = f32(i32((bits >> 23u) & 0xffu) - 127);
  let m = bitcast<f32>((bits & 0x7fffffu) | 0x3f800000u);
  let hi = b * e;
  let lo = fma(b, e, -hi);
  let n = clamp(floor(hi), -400.0, 400.0);
  var r = exp2((hi - n) + lo + b * log2(m));
  var k = n;
  for (var s = 0; s < 8 && k != 0.0; s++) {
    let step = clamp(k, -100.0, 100.0);
    r = r * exp2(step);
    k = k - step;
  }
  return r;
}
// Math.pow semantics: x**0 = 1, NaN in → NaN, negative base needs an integer exponent.
fn pow_f32(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (is_nan(a) || is_nan(b)) { return nan_f32(); }
  if (b == 1.0) { return a; }
  if (b == 2.0) { return a * a; }
  if (b == 0.5 && a >= 0.0) { return sqrt(a); }
  if (b == -1.0) { return 1.0 / a; }
  let odd = !is_inf(b) && fract(b) == 0.0 && abs(b) < 16777216.0 && (i32(b) & 1) == 1;
  if (a == 0.0) {
    // ±0: +0 or +Inf, keeping the sign of -0 for odd integer exponents
    let neg_odd = odd && (bitcast<u32>(a) >> 31u) == 1u;
    if (b > 0.0) { return select(0.0, a, neg_odd); }
    return select(inf_f32(), -inf_f32(), neg_odd);
  }
  if (is_inf(b) && abs(a) == 1.0) { return nan_f32(); } // JS: (±1)^±Inf is NaN
  let r = select(exp2_log2(abs(a), b), exp2(b * log2(abs(a))), is_inf(a) || is_inf(b));
  if (a < 0.0 && !is_inf(b)) {
    if (fract(b) != 0.0) { return select(nan_f32(), r, is_inf(a)); }
    if (odd) { return -r; }
  }
  return r;
}
fn pow_i32(a: i32, b: i32) -> i32 {
  if (b < 0) {
    if (a == 1) { return 1; }
    if (a == -1) { return select(1, -1, (b & 1) == 1); }
    return 0;
  }
  var r = 1; var base = a; var e = b;
  loop { if (e == 0) { break; } if ((e & 1) == 1) { r = r * base; } base = base * base; e = e >> 1u; }
  return r;
}
`;

function binaryExpr(op: BinaryOp, t: 'f32' | 'i32' | 'u32'): string {
  const nanEither = t === 'f32' ? '(is_nan(x) || is_nan(y))' : 'false';
  switch (op) {
    case 'add': return 'x + y';
    case 'sub': return 'x - y';
    case 'mul': return 'x * y';
    case 'div': return t === 'f32' ? 'x / y' : `select(x / y, 0${t === 'u32' ? 'u' : ''}, y == 0${t === 'u32' ? 'u' : ''})`;
    case 'pow': return t === 'f32' ? 'pow_f32(x, y)' : t === 'i32' ? 'pow_i32(x, y)' : 'u32(pow_i32(i32(x), i32(y)))';
    case 'maximum': return t === 'f32' ? 'select(max(x, y), nan_f32(), is_nan(x) || is_nan(y))' : 'max(x, y)';
    case 'minimum': return t === 'f32' ? 'select(min(x, y), nan_f32(), is_nan(x) || is_nan(y))' : 'min(x, y)';
    case 'eq': return `select(0u, 1u, x == y && !${nanEither})`;
    case 'ne': return `select(0u, 1u, x != y || ${nanEither})`;
    case 'lt': return `select(0u, 1u, x < y && !${nanEither})`;
    case 'le': return `select(0u, 1u, x <= y && !${nanEither})`;
    case 'gt': return `select(0u, 1u, x > y && !${nanEither})`;
    case 'ge': return `select(0u, 1u, x >= y && !${nanEither})`;
    case 'and': return `select(0u, 1u, ${TRUTHY[t]('x')} && ${TRUTHY[t]('y')})`;
    case 'or': return `select(0u, 1u, ${TRUTHY[t]('x')} || ${TRUTHY[t]('y')})`;
    default: throw new Error(`webgpu: unknown binary op '${op as string}'`);
  }
}

/** Returns null when the collapsed rank exceeds MAX_RANK (the caller falls back to CPU). */
export function planBinary(dtype: DType, size: number, p: KernelParams['binary']): Dispatch[] | null {
  const c = collapseDims(p.shape, [p.aStrides, p.bStrides]);
  if (c.shape.length > MAX_RANK) return null;
  const t = wgslType(dtype);
  const outT = COMPARE_OPS.has(p.op) ? 'u32' : t;
  const rank = c.shape.length;
  return [{
    key: `binary:${p.op}:${dtype}`,
    code: () => elementwiseShader(
      `@group(0) @binding(1) var<storage, read> a: array<${t}>;
@group(0) @binding(2) var<storage, read> b: array<${t}>;
@group(0) @binding(3) var<storage, read_write> o: array<${outT}>;`,
      `${stridedOffsets(2, 1, 4)}
  let x = a[off0]; let y = b[off1];
  o[i] = ${binaryExpr(p.op, t)};`, BINARY_HELPERS),
    params: paramBlock([size, rank, 0, 0, ...c.shape, ...c.strides[0], ...c.strides[1]]),
    workgroups: grid(size),
  }];
}

export function planWhere(condDtype: DType, dtype: DType, size: number, p: KernelParams['where']): Dispatch[] | null {
  const c = collapseDims(p.shape, [p.condStrides, p.aStrides, p.bStrides]);
  if (c.shape.length > MAX_RANK) return null;
  const ct = wgslType(condDtype);
  const t = wgslType(dtype);
  const rank = c.shape.length;
  return [{
    key: `where:${condDtype}:${dtype}`,
    code: () => elementwiseShader(
      `@group(0) @binding(1) var<storage, read> cnd: array<${ct}>;
@group(0) @binding(2) var<storage, read> a: array<${t}>;
@group(0) @binding(3) var<storage, read> b: array<${t}>;
@group(0) @binding(4) var<storage, read_write> o: array<${t}>;`,
      `${stridedOffsets(3, 1, 4)}
  let cv = cnd[off0];
  o[i] = select(b[off2], a[off1], ${TRUTHY[ct]('cv')});`),
    params: paramBlock([size, rank, 0, 0, ...c.shape, ...c.strides[0], ...c.strides[1], ...c.strides[2]]),
    workgroups: grid(size),
  }];
}
