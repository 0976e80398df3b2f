// The CPU backend's WebAssembly SIMD tier: kernels written with the encoder in wasm-asm.ts,
// assembled when this module loads, and run on copies of the operands in one wasm memory.
// Where WebAssembly or its 128-bit SIMD is missing (or compiling fails), `wasmKernels()` is null
// and the CPU backend keeps its JavaScript kernels; `setCpuTier('js')` forces those for tests.
//
// matmul: C (m×n) = A (m×k) · B (k×n), float32 with float32 accumulation (as PyTorch's CPU).
//   Both operands are packed per k-block of KC: B into panels of NR = 8 columns (kc × 8), A into
//   panels of MR = 4 rows (kc × 4), zero-padded, whatever their layout (A or Aᵀ, B or Bᵀ). The
//   micro-kernel then streams two contiguous arrays: per k, two vectors of B and four splatted
//   floats of A update a 4×8 tile of C held in eight v128 accumulators (+2 for B, +1 for A: 11 of
//   x86-64's 16 SIMD registers; a 6×8 tile spilled and ran slower). C is written to a buffer
//   padded to whole tiles and copied out. The operands are copied into wasm memory as stored (a memcpy) and packed there.
import { Fn, assemble } from './wasm-asm.ts';

export const MR = 4; // rows of the register tile

/** Accumulation precision of a matmul kernel: its packed operands and its register tile. */
export type Acc = 'f32' | 'f64';
/** Columns of the register tile: two v128 vectors of the accumulation type. */
export const nrOf = (acc: Acc): number => (acc === 'f32' ? 8 : 4);
const bytesOf = (acc: Acc): number => (acc === 'f32' ? 4 : 8);

/**
 * gemm(a, b, kc, c, ldc, mPanels, nPanels): C[tile] += Apanel · Bpanel for every NR-column panel
 * of packed B and every MR-row panel of packed A (mPanels panels of kc × MR elements, then
 * nPanels panels of kc × NR elements, each consecutive). Addresses in bytes; C (float32) rows
 * are ldc bytes apart. The loop over B's panels is outside: one B panel (8 KiB at kc = 256)
 * stays in L1 while the A panels stream from L2.
 *
 * f32: a 4×8 tile of float32 accumulators, loaded from C and stored back (float32 throughout).
 * f64: a 4×4 tile of float64 accumulators from zero, then C[i, j] = f32(C[i, j] + acc): exactly
 * the JavaScript micro-kernel's arithmetic (cpu-matmul.ts; products of floats are exact in
 * float64, the sums run in the same order), so the two tiers give the same bits.
 */
export function gemmFn(MR: number, acc: Acc = 'f32', name = 'gemm'): Fn {
  const NR = nrOf(acc);
  const el = bytesOf(acc);
  const f = new Fn(name, [
    ['a', 'i32'], ['b', 'i32'], ['kc', 'i32'], ['c', 'i32'], ['ldc', 'i32'], ['mPanels', 'i32'], ['nPanels', 'i32'],
  ]);
  f.local('jp', 'i32').local('ip', 'i32').local('ap', 'i32').local('bp', 'i32').local('kk', 'i32').local('ct', 'i32')
    .local('bPanel', 'i32').local('av', 'v128').local('b0', 'v128').local('b1', 'v128');
  for (let r = 0; r < MR; r++) f.local(`c${r}0`, 'v128').local(`c${r}1`, 'v128');
  const mul = (): Fn => (acc === 'f32' ? f.f32x4Mul() : f.f64x2Mul());
  const add = (): Fn => (acc === 'f32' ? f.f32x4Add() : f.f64x2Add());

  f.get('b').set('bPanel');
  f.i32(0).set('jp');
  f.block().loop(); // for jp < nPanels
  f.get('jp').get('nPanels').i32GeS().brIf(1);
  f.i32(0).set('ip');
  f.block().loop(); // for ip < mPanels
  f.get('ip').get('mPanels').i32GeS().brIf(1);
  f.get('a').get('ip').get('kc').i32Mul().i32(MR * el).i32Mul().i32Add().set('ap');
  // ct = c + (ip·MR)·ldc + jp·NR·4 (C is float32)
  f.get('c').get('ip').i32(MR).i32Mul().get('ldc').i32Mul().i32Add().get('jp').i32(NR * 4).i32Mul().i32Add().set('ct');
  if (acc === 'f32') {
    // the accumulators start from C (zeros, or the earlier k-blocks)
    for (let r = 0; r < MR; r++) {
      f.get('ct').v128Load(0).set(`c${r}0`);
      f.get('ct').v128Load(16).set(`c${r}1`);
      if (r < MR - 1) f.get('ct').get('ldc').i32Add().set('ct');
    }
  } else {
    for (let r = 0; r < MR; r++) f.v128Const([0, 0, 0, 0]).tee(`c${r}0`).set(`c${r}1`);
  }
  f.get('bPanel').set('bp');
  f.get('kc').set('kk');
  f.block().loop(); // for kk = kc; kk > 0 (kc ≥ 1): one rank-1 update of the tile
  f.get('bp').v128Load(0).set('b0');
  f.get('bp').v128Load(16).set('b1');
  for (let r = 0; r < MR; r++) {
    if (acc === 'f32') f.get('ap').v128Load32Splat(r * 4).set('av');
    else f.get('ap').v128Load64Splat(r * 8).set('av');
    f.get(`c${r}0`).get('av').get('b0'); mul(); add(); f.set(`c${r}0`);
    f.get(`c${r}1`).get('av').get('b1'); mul(); add(); f.set(`c${r}1`);
  }
  f.get('ap').i32(MR * el).i32Add().set('ap');
  f.get('bp').i32(NR * el).i32Add().set('bp');
  f.get('kk').i32(1).i32Sub().tee('kk').brIf(0);
  f.end().end();
  if (acc === 'f32') {
    // store the tile (ct points at its last row)
    for (let r = MR - 1; r >= 0; r--) {
      f.get('ct').get(`c${r}0`).v128Store(0);
      f.get('ct').get(`c${r}1`).v128Store(16);
      if (r > 0) f.get('ct').get('ldc').i32Sub().set('ct');
    }
  } else {
    // C[r, q] = f32(f64(C[r, q]) + acc[r, q]), as the JavaScript kernel's `c[o] += c00`
    for (let r = 0; r < MR; r++) {
      for (let q = 0; q < NR; q++) {
        f.get('ct').get('ct').f32Load(q * 4).f64PromoteF32().get(`c${r}${q >> 1}`).f64x2ExtractLane(q & 1).f64Add().f32DemoteF64().f32Store(q * 4);
      }
      if (r < MR - 1) f.get('ct').get('ldc').i32Add().set('ct');
    }
  }
  f.get('ip').i32(1).i32Add().set('ip').br(0);
  f.end().end();
  f.get('bPanel').get('kc').i32(NR * el).i32Mul().i32Add().set('bPanel');
  f.get('jp').i32(1).i32Add().set('jp').br(0);
  f.end().end();
  return f;
}

/**
 * pack{R}_{acc}(src, lineStride, kStride, lines, kl, dst): panels of R lines × kl elements, line
 * l's element kk read (float32) at src + l·lineStride + kk·kStride (bytes), written (as f32 or
 * widened to f64) at dst[panel][kk][r]. With A's rows as lines this packs A or Aᵀ; with B's
 * columns, B or Bᵀ. Lines past `lines` repeat the last one: they only feed C's padding, which is
 * never copied out.
 */
export function packFn(R: number, acc: Acc = 'f32'): Fn {
  const el = bytesOf(acc);
  const f = new Fn(`pack${R}_${acc}`, [['src', 'i32'], ['lineStride', 'i32'], ['kStride', 'i32'], ['lines', 'i32'], ['kl', 'i32'], ['dst', 'i32']]);
  f.local('l0', 'i32').local('kk', 'i32').local('line', 'i32').local('last', 'i32');
  for (let r = 0; r < R; r++) f.local(`p${r}`, 'i32');
  f.get('lines').i32(1).i32Sub().set('last');
  f.i32(0).set('l0');
  f.block().loop(); // for l0 < lines, step R
  f.get('l0').get('lines').i32GeS().brIf(1);
  for (let r = 0; r < R; r++) {
    f.get('l0').i32(r).i32Add().set('line');
    f.get('src').get('line').get('last').get('line').get('last').i32LeS().select().get('lineStride').i32Mul().i32Add().set(`p${r}`);
  }
  f.get('kl').set('kk');
  f.block().loop();
  for (let r = 0; r < R; r++) {
    if (acc === 'f32') f.get('dst').get(`p${r}`).f32Load(0).f32Store(r * 4);
    else f.get('dst').get(`p${r}`).f32Load(0).f64PromoteF32().f64Store(r * 8);
    f.get(`p${r}`).get('kStride').i32Add().set(`p${r}`);
  }
  f.get('dst').i32(R * el).i32Add().set('dst');
  f.get('kk').i32(1).i32Sub().tee('kk').brIf(0);
  f.end().end();
  f.get('l0').i32(R).i32Add().set('l0').br(0);
  f.end().end();
  return f;
}

// ---------------------------------------------------------------- few rows of A

/**
 * rowsDot(a, m, k, b, n, c): C (m×n) = A (m×k) · Bᵀ with B stored n×k — every output the dot
 * product of two contiguous rows (a Linear layer's weight is stored so). Four outputs at a time,
 * each summing four float32 lanes, so four independent add chains keep the SIMD unit busy; the
 * lanes are added (l0 + l1) + (l2 + l3), then the k mod 4 tail. Addresses in bytes.
 */
export function rowsDotFn(): Fn {
  const f = new Fn('rows_dot', [['a', 'i32'], ['m', 'i32'], ['k', 'i32'], ['b', 'i32'], ['n', 'i32'], ['c', 'i32']]);
  f.local('i', 'i32').local('j', 'i32').local('kk', 'i32').local('k4', 'i32').local('ar', 'i32').local('av', 'v128').local('pa', 'i32');
  for (let q = 0; q < 4; q++) f.local(`p${q}`, 'i32').local(`s${q}`, 'v128').local(`t${q}`, 'f32');
  f.get('k').i32(-4).i32And().set('k4');
  f.i32(0).set('i');
  f.block().loop(); // for i < m
  f.get('i').get('m').i32GeS().brIf(1);
  f.get('a').get('i').get('k').i32Mul().i32(4).i32Mul().i32Add().set('ar');
  f.i32(0).set('j');
  for (const R of [4, 1]) {
    // j-blocks of R outputs: R = 4 while four remain, then one at a time
    f.block().loop();
    f.get('j').i32(R - 1).i32Add().get('n').i32GeS().brIf(1);
    for (let q = 0; q < R; q++) {
      f.get('b').get('j').i32(q).i32Add().get('k').i32Mul().i32(4).i32Mul().i32Add().set(`p${q}`);
      f.v128Const([0, 0, 0, 0]).set(`s${q}`);
    }
    f.get('ar').set('pa');
    f.i32(0).set('kk');
    f.block().loop(); // four k at a time
    f.get('kk').get('k4').i32GeS().brIf(1);
    f.get('pa').v128Load(0).set('av');
    for (let q = 0; q < R; q++) {
      f.get(`s${q}`).get('av').get(`p${q}`).v128Load(0).f32x4Mul().f32x4Add().set(`s${q}`);
      f.get(`p${q}`).i32(16).i32Add().set(`p${q}`);
    }
    f.get('pa').i32(16).i32Add().set('pa');
    f.get('kk').i32(4).i32Add().set('kk').br(0);
    f.end().end();
    for (let q = 0; q < R; q++) {
      f.get(`s${q}`).f32x4ExtractLane(0).get(`s${q}`).f32x4ExtractLane(1).f32Add()
        .get(`s${q}`).f32x4ExtractLane(2).get(`s${q}`).f32x4ExtractLane(3).f32Add().f32Add().set(`t${q}`);
    }
    f.block().loop(); // the k mod 4 tail
    f.get('kk').get('k').i32GeS().brIf(1);
    for (let q = 0; q < R; q++) {
      f.get(`t${q}`).get('pa').f32Load(0).get(`p${q}`).f32Load(0).f32Mul().f32Add().set(`t${q}`);
      f.get(`p${q}`).i32(4).i32Add().set(`p${q}`);
    }
    f.get('pa').i32(4).i32Add().set('pa');
    f.get('kk').i32(1).i32Add().set('kk').br(0);
    f.end().end();
    for (let q = 0; q < R; q++) {
      f.get('c').get('i').get('n').i32Mul().get('j').i32Add().i32(q).i32Add().i32(4).i32Mul().i32Add().get(`t${q}`).f32Store(0);
    }
    f.get('j').i32(R).i32Add().set('j').br(0);
    f.end().end();
  }
  f.get('i').i32(1).i32Add().set('i').br(0);
  f.end().end();
  return f;
}

/**
 * rowsAxpy(a, m, k, b, n, c): C (m×n) += A (m×k) · B with B stored k×n — row i of C gathers
 * a[i, kk] times row kk of B, four columns a vector, the n mod 4 tail one by one. C starts zeroed.
 */
export function rowsAxpyFn(): Fn {
  const f = new Fn('rows_axpy', [['a', 'i32'], ['m', 'i32'], ['k', 'i32'], ['b', 'i32'], ['n', 'i32'], ['c', 'i32']]);
  f.local('i', 'i32').local('kk', 'i32').local('j', 'i32').local('n4', 'i32').local('x', 'f32').local('xv', 'v128')
    .local('pb', 'i32').local('pc', 'i32').local('cr', 'i32');
  f.get('n').i32(-4).i32And().set('n4');
  f.i32(0).set('i');
  f.block().loop(); // for i < m
  f.get('i').get('m').i32GeS().brIf(1);
  f.get('c').get('i').get('n').i32Mul().i32(4).i32Mul().i32Add().set('cr');
  f.i32(0).set('kk');
  f.block().loop(); // for kk < k
  f.get('kk').get('k').i32GeS().brIf(1);
  f.get('a').get('i').get('k').i32Mul().get('kk').i32Add().i32(4).i32Mul().i32Add().f32Load(0).tee('x').f32x4Splat().set('xv');
  f.get('b').get('kk').get('n').i32Mul().i32(4).i32Mul().i32Add().set('pb');
  f.get('cr').set('pc');
  f.i32(0).set('j');
  f.block().loop();
  f.get('j').get('n4').i32GeS().brIf(1);
  f.get('pc').get('pc').v128Load(0).get('xv').get('pb').v128Load(0).f32x4Mul().f32x4Add().v128Store(0);
  f.get('pc').i32(16).i32Add().set('pc');
  f.get('pb').i32(16).i32Add().set('pb');
  f.get('j').i32(4).i32Add().set('j').br(0);
  f.end().end();
  f.block().loop();
  f.get('j').get('n').i32GeS().brIf(1);
  f.get('pc').get('pc').f32Load(0).get('x').get('pb').f32Load(0).f32Mul().f32Add().f32Store(0);
  f.get('pc').i32(4).i32Add().set('pc');
  f.get('pb').i32(4).i32Add().set('pb');
  f.get('j').i32(1).i32Add().set('j').br(0);
  f.end().end();
  f.get('kk').i32(1).i32Add().set('kk').br(0);
  f.end().end();
  f.get('i').i32(1).i32Add().set('i').br(0);
  f.end().end();
  return f;
}

// ---------------------------------------------------------------- elementwise math

/**
 * v ← exp(v) for the v128 local `v` (float32, Cephes' expf: n = round(x·log₂e), r = x − n·ln 2 in
 * two parts, a degree-7 polynomial, then ·2ⁿ), with v128 locals t and e as scratch. The scale is
 * applied as 2^(n>>1)·2^(n−(n>>1)) so results that overflow become +Inf and those below the
 * normal range become subnormal or 0 without a special case; NaN passes through (wasm's min/max
 * keep NaN), −Inf gives 0 and +Inf gives +Inf. Error ≤ 2 ulp against the exact exp.
 */
function emitExp(f: Fn, v: string, t: string, e: string): void {
  f.get(v).splat(89).f32x4Min().splat(-104).f32x4Max().set(v);
  f.get(v).splat(Math.LOG2E).f32x4Mul().f32x4Nearest().set(t); // n, as a float
  f.get(v).get(t).splat(0.693359375).f32x4Mul().f32x4Sub().get(t).splat(-2.12194440e-4).f32x4Mul().f32x4Sub().set(v); // r
  f.get(t).i32x4TruncSatF32x4S().set(e); // n, as an int
  // t = ((((c0·r + c1)·r + c2)·r + c3)·r + c4)·r + c5; v = t·r² + r + 1
  f.splat(1.9875691500e-4).get(v).f32x4Mul().splat(1.3981999507e-3).f32x4Add()
    .get(v).f32x4Mul().splat(8.3334519073e-3).f32x4Add()
    .get(v).f32x4Mul().splat(4.1665795894e-2).f32x4Add()
    .get(v).f32x4Mul().splat(1.6666665459e-1).f32x4Add()
    .get(v).f32x4Mul().splat(5.0000001201e-1).f32x4Add().set(t);
  f.get(t).get(v).f32x4Mul().get(v).f32x4Mul().get(v).f32x4Add().splat(1).f32x4Add().set(v);
  // · 2^(n>>1) · 2^(n − (n>>1)), each factor built from its exponent bits
  f.get(v)
    .get(e).i32(1).i32x4ShrS().i32(127).i32x4Splat().i32x4Add().i32(23).i32x4Shl().f32x4Mul()
    .get(e).get(e).i32(1).i32x4ShrS().i32x4Sub().i32(127).i32x4Splat().i32x4Add().i32(23).i32x4Shl().f32x4Mul()
    .set(v);
}

/**
 * v ← erf(v), the same formula as cpu-kernels.ts erf (Numerical Recipes' erfc, fractional error
 * < 1.2e-7): t = 1/(1 + |x|/2), erf = sign(x)·(1 − t·exp(−x² − 1.26551223 + t·P(t))).
 */
function emitErf(f: Fn, v: string, ax: string, t: string, e: string, p: string): void {
  f.get(v).f32x4Abs().set(ax);
  f.splat(1).splat(1).get(ax).splat(0.5).f32x4Mul().f32x4Add().f32x4Div().set(t);
  const coef = [0.17087277, -0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806, 0.09678418, 0.37409196, 1.00002368];
  f.splat(coef[0]).set(p);
  for (const c of coef.slice(1)) f.get(p).get(t).f32x4Mul().splat(c).f32x4Add().set(p);
  // p ← −x² − 1.26551223 + t·P, exponentiated in place
  f.get(ax).get(ax).f32x4Mul().f32x4Neg().splat(1.26551223).f32x4Sub().get(t).get(p).f32x4Mul().f32x4Add().set(p);
  emitExp(f, p, ax, e); // ax is free now
  // 1 − t·exp(..), with x's sign bit
  f.splat(1).get(t).get(p).f32x4Mul().f32x4Sub()
    .get(v).splat(-0).v128And().v128Xor().set(v);
}

/** Unary ops with a SIMD kernel: exp and erf approximate (the default 'wasm' tier only), the rest exact. */
export type WasmUnaryOp = 'exp' | 'erf' | 'neg' | 'abs' | 'sqrt' | 'relu';
/** The ones whose SIMD results are Math's, rounded to float32, bit for bit: every wasm tier runs them. */
export const EXACT_UNARY: ReadonlySet<string> = new Set(['neg', 'abs', 'sqrt', 'relu']);

/** {name}(src, dst, n): dst[i] = op(src[i]) for n floats, n a multiple of 4 (addresses in bytes). */
export function unaryFn(op: WasmUnaryOp): Fn {
  const f = new Fn(op, [['src', 'i32'], ['dst', 'i32'], ['n', 'i32']]);
  f.local('end', 'i32').local('v', 'v128').local('a', 'v128').local('t', 'v128').local('e', 'v128').local('p', 'v128');
  f.get('src').get('n').i32(4).i32Mul().i32Add().set('end');
  f.block().loop();
  f.get('src').get('end').i32GeS().brIf(1);
  f.get('src').v128Load(0).set('v');
  if (op === 'exp') emitExp(f, 'v', 't', 'e');
  else if (op === 'erf') emitErf(f, 'v', 'a', 't', 'e', 'p');
  else if (op === 'relu') f.splat(0).get('v').f32x4Pmax().set('v'); // 0 < v ? v : 0, as the JS kernel
  else { f.get('v'); ({ neg: () => f.f32x4Neg(), abs: () => f.f32x4Abs(), sqrt: () => f.f32x4Sqrt() })[op](); f.set('v'); }
  f.get('dst').get('v').v128Store(0);
  f.get('src').i32(16).i32Add().set('src');
  f.get('dst').i32(16).i32Add().set('dst');
  f.br(0);
  f.end().end();
  return f;
}

/** Binary ops with a SIMD kernel: float32 +, −, ·, / round the exact result once, as JavaScript's
 * float64 result stored to a Float32Array does (float64 holds it exactly enough), so every wasm
 * tier runs them with the JavaScript kernels' bits. */
export type WasmBinaryOp = 'add' | 'sub' | 'mul' | 'div';

/**
 * bin_{op}(a, ra, sa, b, rb, sb, o, rows, len): o[r][j] = a[r][j] op b[r][j] over rows × len
 * floats, o contiguous; row r of a starts at a + r·ra (bytes) and steps by one float when sa = 1,
 * or repeats its first float when sa = 0 (a scalar per row, or a whole-tensor scalar); b alike.
 * One loop serves the three broadcasts the engine produces (same shape, a bias row, a per-row or
 * whole scalar): each operand's vector is a load or a splat, picked with `select`.
 */
export function binaryFn(op: WasmBinaryOp): Fn {
  const f = new Fn(`bin_${op}`, [
    ['a', 'i32'], ['ra', 'i32'], ['sa', 'i32'], ['b', 'i32'], ['rb', 'i32'], ['sb', 'i32'], ['o', 'i32'], ['rows', 'i32'], ['len', 'i32'],
  ]);
  f.local('r', 'i32').local('pa', 'i32').local('pb', 'i32').local('end', 'i32').local('tail', 'i32');
  const vec = (): Fn => ({ add: () => f.f32x4Add(), sub: () => f.f32x4Sub(), mul: () => f.f32x4Mul(), div: () => f.f32x4Div() })[op]();
  const scalar = (): Fn => ({ add: () => f.f32Add(), sub: () => f.f32Sub(), mul: () => f.f32Mul(), div: () => f.f32Div() })[op]();
  const operand = (p: string, s: string): Fn => f.get(p).v128Load(0).get(p).v128Load32Splat(0).get(s).select();
  const step = (p: string, s: string, bytes: number): Fn => f.get(p).get(s).i32(bytes).i32Mul().i32Add().set(p);
  f.i32(0).set('r');
  f.block().loop(); // for r < rows
  f.get('r').get('rows').i32GeS().brIf(1);
  f.get('a').get('r').get('ra').i32Mul().i32Add().set('pa');
  f.get('b').get('r').get('rb').i32Mul().i32Add().set('pb');
  f.get('o').get('len').i32(-4).i32And().i32(4).i32Mul().i32Add().set('end');
  f.get('o').get('len').i32(4).i32Mul().i32Add().set('tail');
  f.block().loop(); // four floats at a time
  f.get('o').get('end').i32GeS().brIf(1);
  f.get('o'); operand('pa', 'sa'); operand('pb', 'sb'); vec(); f.v128Store(0);
  step('pa', 'sa', 16); step('pb', 'sb', 16);
  f.get('o').i32(16).i32Add().set('o').br(0);
  f.end().end();
  f.block().loop(); // the last len mod 4
  f.get('o').get('tail').i32GeS().brIf(1);
  f.get('o').get('pa').f32Load(0).get('pb').f32Load(0); scalar(); f.f32Store(0);
  step('pa', 'sa', 4); step('pb', 'sb', 4);
  f.get('o').i32(4).i32Add().set('o').br(0);
  f.end().end();
  f.get('r').i32(1).i32Add().set('r').br(0);
  f.end().end();
  return f;
}

/** One matmul kernel and its two packers, for one accumulation type. */
export interface MatmulKernels {
  acc: Acc;
  /** columns of the register tile (rows: MR) */
  nr: number;
  gemm: (a: number, b: number, kc: number, c: number, ldc: number, mPanels: number, nPanels: number) => void;
  packA: (src: number, lineStride: number, kStride: number, lines: number, kl: number, dst: number) => void;
  packB: (src: number, lineStride: number, kStride: number, lines: number, kl: number, dst: number) => void;
}

export interface WasmKernels {
  memory: WebAssembly.Memory;
  f32: MatmulKernels;
  f64: MatmulKernels;
  /** C = A·Bᵀ (B stored n×k) and C += A·B (B stored k×n) for a few rows of A, float32 accumulation. */
  rowsDot: (a: number, m: number, k: number, b: number, n: number, c: number) => void;
  rowsAxpy: (a: number, m: number, k: number, b: number, n: number, c: number) => void;
  unary: Record<WasmUnaryOp, (src: number, dst: number, n: number) => void>;
  binary: Record<WasmBinaryOp, (a: number, ra: number, sa: number, b: number, rb: number, sb: number, o: number, rows: number, len: number) => void>;
}

const UNARY_OPS: readonly WasmUnaryOp[] = ['exp', 'erf', 'neg', 'abs', 'sqrt', 'relu'];
const BINARY_OPS: readonly WasmBinaryOp[] = ['add', 'sub', 'mul', 'div'];

// Two modules sharing one memory, each under the 4 KiB that Chrome compiles synchronously on a
// page's main thread (widgets run the engine there; cells run it in a worker).
export function matmulModuleBytes(): Uint8Array<ArrayBuffer> {
  return assemble([
    gemmFn(MR, 'f32', 'gemm_f32'), packFn(MR, 'f32'), packFn(nrOf('f32'), 'f32'),
    gemmFn(MR, 'f64', 'gemm_f64'), packFn(MR, 'f64'), // nrOf('f64') = MR: one packer for A and B
    rowsDotFn(), rowsAxpyFn(),
  ]);
}

export function elementwiseModuleBytes(): Uint8Array<ArrayBuffer> {
  return assemble([...UNARY_OPS.map(unaryFn), ...BINARY_OPS.map(binaryFn)]);
}

// The smallest module that uses a SIMD instruction: validates only where 128-bit SIMD is supported.
const SIMD_PROBE = (() => {
  const f = new Fn('probe', [], ['f32']);
  f.v128Const([1, 2, 3, 4]).f32x4ExtractLane(1);
  return assemble([f]);
})();

export function simdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

let compiled: WebAssembly.Module[] | null = null;

function instantiate(): WasmKernels | null {
  if (!simdSupported()) return null;
  try {
    const memory = new WebAssembly.Memory({ initial: 16 });
    compiled ??= [matmulModuleBytes(), elementwiseModuleBytes()].map((bytes) => new WebAssembly.Module(bytes));
    const e = Object.assign({}, ...compiled.map((m) => new WebAssembly.Instance(m, { env: { memory } }).exports)) as Record<string, (...args: number[]) => void>;
    const set = (acc: Acc): MatmulKernels => ({
      acc, nr: nrOf(acc), gemm: e[`gemm_${acc}`], packA: e[`pack${MR}_${acc}`], packB: e[`pack${nrOf(acc)}_${acc}`],
    });
    return {
      memory, f32: set('f32'), f64: set('f64'), rowsDot: e.rows_dot, rowsAxpy: e.rows_axpy,
      unary: Object.fromEntries(UNARY_OPS.map((op) => [op, e[op]])) as WasmKernels['unary'],
      binary: Object.fromEntries(BINARY_OPS.map((op) => [op, e[`bin_${op}`]])) as WasmKernels['binary'],
    };
  } catch {
    return null; // e.g. a page's CSP without 'wasm-unsafe-eval'
  }
}

/**
 * 'wasm' (the default where WebAssembly SIMD runs): matmul accumulates in float32, as PyTorch's and
 * tfjs's CPU kernels do, and exp/erf run as SIMD float32 — numbers equal to the JavaScript
 * kernels' to float32 rounding, not bit for bit. 'wasm-f64': matmul accumulates in float64 exactly
 * as the JavaScript kernels do (the same bits, half the speed), which checks the wasm drivers
 * against the JavaScript ones bit for bit. 'js': the JavaScript kernels only.
 */
export type CpuTier = 'wasm' | 'wasm-f64' | 'js';

let kernels: WasmKernels | null | undefined;
// In Node, ATTENTION_LAB_CPU_TIER=js|wasm-f64 picks the tier for a whole run (a check of the
// fallback, the doc-tests' before/after timings); pages and workers have no such variable.
const envTier = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.ATTENTION_LAB_CPU_TIER;
let tier: CpuTier = envTier === 'js' || envTier === 'wasm-f64' ? envTier : 'wasm';

/** The wasm kernels when they run here and the tier is not 'js'; null otherwise. */
export function wasmKernels(): WasmKernels | null {
  if (tier === 'js') return null;
  if (kernels === undefined) kernels = instantiate();
  return kernels;
}

/** The matmul kernels of the tier in effect, or null for the JavaScript ones. */
export function matmulKernels(): { w: WasmKernels; mk: MatmulKernels } | null {
  const w = wasmKernels();
  return w && { w, mk: tier === 'wasm-f64' ? w.f64 : w.f32 };
}

/** The SIMD float32 exp/erf where the tier allows results that differ from Math.exp in the last bit. */
export function fastMathKernels(): WasmKernels | null {
  return tier === 'wasm' ? wasmKernels() : null;
}

/** Picks the CPU kernels; returns the tier in effect (a wasm tier where wasm cannot run gives 'js'). */
export function setCpuTier(t: CpuTier): CpuTier {
  tier = t;
  return cpuTier();
}

export function cpuTier(): CpuTier {
  return wasmKernels() ? tier : 'js';
}

// ---------------------------------------------------------------- matmul driver

const KC = 256; // k-block (as cpu-matmul.ts, which f64 accumulation must match): a B panel is 8 KiB, kept in L1
const MC = 128; // rows of A per call: MC × KC × 4 B = 128 KiB of A in L2

let f32: Float32Array = new Float32Array(0);

/** Work bigger than this runs on the JavaScript kernels rather than grow the wasm memory further. */
const MAX_BYTES = 1 << 30;
/** A memory grown past this by a large product is dropped after it (wasm memory never shrinks). */
const KEEP_BYTES = 64 << 20;

/**
 * The memory as floats, grown to hold at least `floatsNeeded` (views are renewed after a
 * grow); null where that is over MAX_BYTES or the grow fails (the caller runs JavaScript).
 */
function floats(w: WasmKernels, floatsNeeded: number): Float32Array | null {
  const bytes = floatsNeeded * 4;
  const have = w.memory.buffer.byteLength;
  if (bytes > MAX_BYTES) return null;
  if (bytes > have) {
    try {
      w.memory.grow(Math.ceil((bytes - have) / 65536));
    } catch {
      return null;
    }
  }
  if (f32.buffer !== w.memory.buffer) f32 = new Float32Array(w.memory.buffer);
  return f32;
}

/** After a call: a memory grown past KEEP_BYTES is let go, and the next call starts a fresh instance. */
function release(w: WasmKernels): void {
  if (w.memory.buffer.byteLength > KEEP_BYTES && kernels === w) {
    kernels = undefined;
    f32 = new Float32Array(0);
  }
}

const up = (x: number, q: number): number => Math.ceil(x / q) * q;

/**
 * batch × (A·B) on the wasm tier; same contract as cpu-matmul.ts matmulKernel, with m, n, k ≥ 1.
 * False (nothing written) where the operands would need more wasm memory than it may take.
 */
export function matmulWasm(w: WasmKernels, mk: MatmulKernels, a: Float32Array, b: Float32Array, c: Float32Array, p: {
  batch: number; m: number; k: number; n: number; transA: boolean; transB: boolean; aBatchStride: number; bBatchStride: number;
}): boolean {
  const { batch, m, k, n, transA, transB, aBatchStride, bBatchStride } = p;
  const NR = mk.nr;
  const el = bytesOf(mk.acc) / 4; // packed element size, in floats
  const mc = MR * Math.floor(MC / MR);
  const nPad = up(n, NR);
  const mPad = up(m, MR);
  // memory (floats): A as stored | B as stored | packed A (mPad·k elements) | packed B (k·nPad) | C tiles (mPad·nPad)
  const bAt = up(m * k, 4);
  const apAt = bAt + up(k * n, 4);
  const bpAt = apAt + mPad * k * el;
  const cAt = bpAt + k * nPad * el;
  const mem = floats(w, cAt + mPad * nPad);
  if (!mem) return false;
  // element strides of A's rows and of B's columns (the packed "lines"), and along k
  const aLine = transA ? 1 : k, aK = transA ? m : 1;
  const bLine = transB ? k : 1, bK = transB ? 1 : n;
  let lastA = -1;
  let lastB = -1;
  for (let bi = 0; bi < batch; bi++) {
    const aOff = bi * aBatchStride;
    const bOff = bi * bBatchStride;
    // a batch that broadcasts an operand reuses its packing
    if (aOff !== lastA) {
      mem.set(a.subarray(aOff, aOff + m * k), 0);
      for (let k0 = 0; k0 < k; k0 += KC) mk.packA(k0 * aK * 4, aLine * 4, aK * 4, m, Math.min(KC, k - k0), (apAt + k0 * mPad * el) * 4);
    }
    if (bOff !== lastB) {
      mem.set(b.subarray(bOff, bOff + k * n), bAt);
      for (let k0 = 0; k0 < k; k0 += KC) mk.packB((bAt + k0 * bK) * 4, bLine * 4, bK * 4, n, Math.min(KC, k - k0), (bpAt + k0 * nPad * el) * 4);
    }
    lastA = aOff;
    lastB = bOff;
    mem.fill(0, cAt, cAt + mPad * nPad);
    for (let k0 = 0; k0 < k; k0 += KC) {
      const kl = Math.min(KC, k - k0);
      for (let i0 = 0; i0 < m; i0 += mc) {
        const rows = Math.min(mc, m - i0);
        mk.gemm((apAt + (k0 * mPad + i0 * kl) * el) * 4, (bpAt + k0 * nPad * el) * 4, kl, (cAt + i0 * nPad) * 4, nPad * 4, Math.ceil(rows / MR), nPad / NR);
      }
    }
    const cOff = bi * m * n;
    if (n === nPad) c.set(mem.subarray(cAt, cAt + m * n), cOff);
    else for (let i = 0; i < m; i++) c.set(mem.subarray(cAt + i * nPad, cAt + i * nPad + n), cOff + i * n);
  }
  release(w);
  return true;
}

/** The few-rows kernels where the tier accumulates in float32 (the default 'wasm'), else null. */
export function fewRowsKernels(): WasmKernels | null {
  return tier === 'wasm' ? wasmKernels() : null;
}

/**
 * batch × (A·B) for m < MR rows of A (a recurrent step, one generated token), where packing would
 * cost as much as the product; same contract as matmulWasm. A's rows are copied contiguous, B as
 * stored (a batch that broadcasts B copies it once).
 */
export function fewRowsWasm(w: WasmKernels, a: Float32Array, b: Float32Array, c: Float32Array, p: {
  batch: number; m: number; k: number; n: number; transA: boolean; transB: boolean; aBatchStride: number; bBatchStride: number;
}): boolean {
  const { batch, m, k, n, transA, transB, aBatchStride, bBatchStride } = p;
  // memory (floats): A's rows (m·k) | B as stored (k·n) | C (m·n)
  const bAt = up(m * k, 4);
  const cAt = bAt + up(k * n, 4);
  const mem = floats(w, cAt + m * n);
  if (!mem) return false;
  let lastB = -1;
  for (let bi = 0; bi < batch; bi++) {
    const aOff = bi * aBatchStride;
    const bOff = bi * bBatchStride;
    if (transA) for (let r = 0; r < m; r++) for (let kk = 0; kk < k; kk++) mem[r * k + kk] = a[aOff + kk * m + r];
    else mem.set(a.subarray(aOff, aOff + m * k), 0);
    if (bOff !== lastB) mem.set(b.subarray(bOff, bOff + k * n), bAt);
    lastB = bOff;
    if (transB) w.rowsDot(0, m, k, bAt * 4, n, cAt * 4);
    else {
      mem.fill(0, cAt, cAt + m * n);
      w.rowsAxpy(0, m, k, bAt * 4, n, cAt * 4);
    }
    c.set(mem.subarray(cAt, cAt + m * n), bi * m * n);
  }
  release(w);
  return true;
}

// ---------------------------------------------------------------- elementwise drivers

/** Below this many elements the JavaScript loop is as fast as the copies in and out. */
export const UNARY_MIN = 256;

/** The unary kernel for `op` where this tier runs one (exp and erf only on 'wasm'), else null. */
export function unaryKernelFor(op: string): WasmKernels | null {
  if (EXACT_UNARY.has(op)) return wasmKernels();
  return op === 'exp' || op === 'erf' ? fastMathKernels() : null;
}

/** out = op(x) elementwise on the wasm tier (float32); false (nothing written) when it cannot run. */
export function unaryWasm(w: WasmKernels, op: WasmUnaryOp, x: Float32Array, out: Float32Array): boolean {
  const n = out.length;
  const n4 = up(n, 4);
  const mem = floats(w, 2 * n4);
  if (!mem) return false;
  mem.set(x.subarray(0, n), 0);
  w.unary[op](0, n4 * 4, n4);
  out.set(mem.subarray(n4, n4 + n));
  release(w);
  return true;
}

const isWasmBinary = (op: string): op is WasmBinaryOp => op === 'add' || op === 'sub' || op === 'mul' || op === 'div';

/**
 * out = a op b on the wasm tier, for float32 +, −, ·, / whose operands, with their dims merged
 * (`shape`, `strides` from collapseDims), are rows × len with each operand stepping 0 or 1 along
 * a row; false (nothing written) for any other case, which the JavaScript kernel then runs.
 */
export function binaryWasm(w: WasmKernels, op: string, a: Float32Array, b: Float32Array, out: Float32Array, shape: readonly number[], strides: readonly (readonly number[])[]): boolean {
  if (!isWasmBinary(op) || shape.length > 2) return false;
  const [as, bs] = strides;
  const len = shape[shape.length - 1];
  const rows = shape.length === 2 ? shape[0] : 1;
  const sa = as[as.length - 1], sb = bs[bs.length - 1];
  if ((sa !== 0 && sa !== 1) || (sb !== 0 && sb !== 1)) return false;
  const ra = shape.length === 2 ? as[0] : 0, rb = shape.length === 2 ? bs[0] : 0;
  // a | b | out, each 4 floats longer than used (a splatted operand's vector load reads past it)
  const bAt = up(a.length, 4) + 4;
  const oAt = bAt + up(b.length, 4) + 4;
  const mem = floats(w, oAt + out.length);
  if (!mem) return false;
  mem.set(a, 0);
  mem.set(b, bAt);
  w.binary[op](0, ra * 4, sa, bAt * 4, rb * 4, sb, oAt * 4, rows, len);
  out.set(mem.subarray(oAt, oAt + out.length));
  release(w);
  return true;
}
