// The CPU backend's fused kernels (FusedParams in backend.ts): one loop over the typed arrays
// instead of a chain of primitive ops, each allocating its float32 output. Forward kernels round
// every intermediate to float32 exactly where the primitive composite does (Math.fround, row sums
// in float64 in the reduce kernel's order, exp as the tier's exp kernel), so they give the
// composites' bits on every tier and the book's numbers stay put; backward kernels take the forward's float32 values
// and do their arithmetic in float64, rounding once at the end (within float32 rounding of the
// composites' autograd chains, and nearer the exact gradient). `setCpuFusion(false)`, or
// ATTENTION_LAB_CPU_FUSED=0 in Node, makes every call decline, so the composites run: they stay
// the reference the tests compare against.
import type { FusedName, FusedParams } from '../backend.ts';
import type { TypedArray } from '../dtype.ts';
import { matmulKernel } from './cpu-matmul.ts';
import { UNARY_MIN, fastMathKernels, unaryWasm } from './cpu-wasm.ts';

const envFused = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.ATTENTION_LAB_CPU_FUSED;
let enabled = envFused !== '0';

/** Turns the CPU backend's fused kernels on or off (off: the primitive composites run); returns the previous setting. */
export function setCpuFusion(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

export function cpuFusion(): boolean {
  return enabled;
}

const f = Math.fround;

/** The unary kernel's sigmoid (split by sign so exp never overflows), unrounded. */
function sigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** The reduce kernel's max: NaN as soon as one value is NaN. */
function rowMax(x: Float32Array, base: number, end: number, step: number): number {
  let m = -Infinity;
  for (let i = base; i < end; i += step) {
    const v = x[i];
    if (v !== v) return NaN;
    if (v > m) m = v;
  }
  return m;
}

/** log-softmax's shift: the max, or 0 where the max is ±inf (nn-functional.ts logSoftmax). */
function lseShift(m: number): number {
  return m === Infinity || m === -Infinity ? 0 : m;
}

/**
 * out = f32(x − shift) along every row of an [outer, size, inner] layout, shift = the row max
 * ('max': softmax's; an all −inf row gives NaN, as (−inf) − (−inf)) or lseShift of it ('lse').
 */
function shiftRows(x: Float32Array, out: Float32Array, outer: number, size: number, inner: number, shift: 'max' | 'lse'): void {
  const span = size * inner;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * span + j, end = base + span;
      const m = rowMax(x, base, end, inner);
      const sh = shift === 'lse' ? lseShift(m) : m;
      for (let i = base; i < end; i += inner) out[i] = x[i] - sh;
    }
  }
}

/**
 * out = f32(exp(a)) elementwise (in place when out is a), as the composite's exp kernel: SIMD for
 * arrays of UNARY_MIN or more where the tier runs exp on wasm (fastMathKernels), Math.exp otherwise.
 */
function expAll(a: Float32Array, out: Float32Array): void {
  const w = a.length >= UNARY_MIN ? fastMathKernels() : null;
  if (w && unaryWasm(w, 'exp', a, out)) return;
  for (let i = 0; i < a.length; i++) out[i] = Math.exp(a[i]);
}

// The exp terms f32(exp(f32(x − lseShift))) of the last log-softmax or cross-entropy forward, in
// x's [outer, size, inner] layout, kept for its backward, which would otherwise compute every exp
// again (Math.exp is most of these kernels' time). Valid while `expOf` is that x's array with the
// same layout: a tensor saved for backward is never written in place (assign swaps storages), and
// any other forward on the same array replaces the entry. Grown on demand, never per row; past
// KEEP_MAX elements (4 MB; a long sequence's logits over a 50k vocabulary are far more) nothing
// is kept, so the module never pins such arrays, and the backward computes its exp terms again.
const KEEP_MAX = 1 << 20;
let expScratch = new Float32Array(4096);
let expOf: Float32Array | null = null;
let expOuter = 0, expSize = 0, expInner = 0;

/** Fills the exp terms for x (kept where small enough) and returns them; `shifted`: x − lseShift where already at hand. */
function keepExpTerms(x: Float32Array, outer: number, size: number, inner: number, shifted: Float32Array | null): Float32Array {
  const n = x.length;
  const keep = n <= KEEP_MAX;
  if (keep && expScratch.length < n) expScratch = new Float32Array(n);
  const e = keep ? expScratch.subarray(0, n) : new Float32Array(n); // unaryWasm reads the view's length
  if (!shifted) shiftRows(x, e, outer, size, inner, 'lse');
  expAll(shifted ?? e, e);
  expOf = keep ? x : null;
  expOuter = outer; expSize = size; expInner = inner;
  return e;
}

/** out = the exp terms of x as keepExpTerms makes them: copied where kept, else computed. */
function expTerms(x: Float32Array, out: Float32Array, outer: number, size: number, inner: number): void {
  if (expOf === x && expOuter === outer && expSize === size && expInner === inner) {
    out.set(expScratch.subarray(0, x.length));
    return;
  }
  shiftRows(x, out, outer, size, inner, 'lse');
  expAll(out, out);
}

function softmax(x: Float32Array, y: Float32Array, p: FusedParams['softmax']): void {
  // the composite's steps, each rounded as there: softmax exp(x − max) / Σ; log-softmax
  // (x − shift) − log Σ exp(x − shift)
  const { outer, size, inner } = p;
  shiftRows(x, y, outer, size, inner, p.log ? 'lse' : 'max');
  const e = p.log ? keepExpTerms(x, outer, size, inner, y) : y;
  if (!p.log) expAll(y, y);
  const span = size * inner;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * span + j, end = base + span;
      let s = 0;
      for (let i = base; i < end; i += inner) s += e[i];
      const sf = f(s);
      if (p.log) {
        const ls = f(Math.log(sf));
        for (let i = base; i < end; i += inner) y[i] = y[i] - ls;
      } else {
        for (let i = base; i < end; i += inner) y[i] = y[i] / sf;
      }
    }
  }
}

function softmaxBackward(a: Float32Array, dy: Float32Array, dx: Float32Array, p: FusedParams['softmaxBackward']): void {
  const { outer, size, inner } = p;
  // log-softmax (a = x): dx = dy − softmax(x)·Σ dy, softmax recomputed from x (exp(y) would carry
  // y's rounding); its exp terms are held in dx until the sums are known
  if (p.log) expTerms(a, dx, outer, size, inner);
  const span = size * inner;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * span + j, end = base + span;
      if (p.log) {
        let s = 0, gs = 0;
        for (let i = base; i < end; i += inner) { s += dx[i]; gs += dy[i]; }
        const k = gs / s;
        for (let i = base; i < end; i += inner) dx[i] = dy[i] - dx[i] * k;
      } else {
        // a = y: dx = y·(dy − Σ dy·y)
        let gs = 0;
        for (let i = base; i < end; i += inner) gs += dy[i] * a[i];
        for (let i = base; i < end; i += inner) dx[i] = a[i] * (dy[i] - gs);
      }
    }
  }
}

function crossEntropy(x: Float32Array, target: Int32Array, loss: Float32Array, p: FusedParams['crossEntropy']): void {
  // −log_softmax(x)[t] = log Σ exp(x − shift) − (x[t] − shift), rounded as the composite's log-softmax
  const { rows, classes, ignoreIndex } = p;
  const e = keepExpTerms(x, rows, classes, 1, null);
  for (let r = 0; r < rows; r++) {
    const t = target[r];
    if (t === ignoreIndex) { loss[r] = 0; continue; } // torch's 0 (the composite's 0·logp is NaN where logp is −inf)
    if (t < 0 || t >= classes) { loss[r] = NaN; continue; }
    const base = r * classes, end = base + classes;
    let s = 0;
    for (let i = base; i < end; i++) s += e[i];
    loss[r] = f(Math.log(f(s))) - f(x[base + t] - lseShift(rowMax(x, base, end, 1)));
  }
}

function crossEntropyBackward(x: Float32Array, target: Int32Array, dloss: Float32Array, dx: Float32Array, p: FusedParams['crossEntropyBackward']): void {
  // (softmax − onehot(t))·g, g = dloss or 0 on ignored rows; the exp terms held in dx until Σ is known
  const { rows, classes, ignoreIndex } = p;
  expTerms(x, dx, rows, classes, 1);
  for (let r = 0; r < rows; r++) {
    const base = r * classes, end = base + classes;
    const t = target[r];
    const g = t === ignoreIndex ? 0 : dloss[r];
    let s = 0;
    for (let i = base; i < end; i++) s += dx[i];
    const valid = t >= 0 && t < classes;
    const et = valid ? dx[base + t] : 0;
    const k = g / s;
    for (let i = base; i < end; i++) dx[i] = dx[i] * k;
    if (valid) dx[base + t] = (et / s - 1) * g;
  }
}

/**
 * Writes a row's centred values c to out[base ...] as layerNorm's composite rounds them, and returns
 * rstd (x̂ = f32(c·rstd)): m1 = mean(x), m2 = mean(x − m1) (a second centring pass),
 * c = (x − m1) − m2, variance = mean(c²), rstd = 1 / √(variance + eps).
 */
function centerRow(x: Float32Array, out: Float32Array, base: number, size: number, eps32: number): number {
  const end = base + size;
  let a = 0;
  for (let i = base; i < end; i++) a += x[i];
  const m1 = f(f(a) / size);
  a = 0;
  for (let i = base; i < end; i++) a += f(x[i] - m1);
  const m2 = f(f(a) / size);
  a = 0;
  for (let i = base; i < end; i++) {
    const c = f(f(x[i] - m1) - m2);
    out[i] = c;
    a += f(c * c);
  }
  return f(1 / f(Math.sqrt(f(f(f(a) / size) + eps32))));
}

function layerNorm(x: Float32Array, w: Float32Array | null, b: Float32Array | null, y: Float32Array, p: FusedParams['layerNorm']): void {
  // y = x̂, then ·w, then +b, each rounded (the stores round the last step)
  const { rows, size } = p;
  const eps32 = f(p.eps);
  for (let r = 0; r < rows; r++) {
    const base = r * size, end = base + size;
    const rstd = centerRow(x, y, base, size, eps32);
    if (w && b) for (let i = base; i < end; i++) y[i] = f(f(y[i] * rstd) * w[i - base]) + b[i - base];
    else if (w) for (let i = base; i < end; i++) y[i] = f(y[i] * rstd) * w[i - base];
    else if (b) for (let i = base; i < end; i++) y[i] = f(y[i] * rstd) + b[i - base];
    else for (let i = base; i < end; i++) y[i] = y[i] * rstd;
  }
}

function layerNormBackward(x: Float32Array, dy: Float32Array, w: Float32Array | null, dx: Float32Array, dyXhat: Float32Array, p: FusedParams['layerNormBackward']): void {
  const { rows, size } = p;
  const eps32 = f(p.eps);
  for (let r = 0; r < rows; r++) {
    const base = r * size, end = base + size;
    // dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)), dx̂ = dy·w, x̂ the forward's float32 value (held in dx)
    const rstd = centerRow(x, dx, base, size, eps32);
    let sg = 0, sgx = 0;
    for (let i = base; i < end; i++) {
      const xhat = f(dx[i] * rstd);
      dx[i] = xhat;
      const g = w ? dy[i] * w[i - base] : dy[i];
      sg += g;
      sgx += g * xhat;
      dyXhat[i] = dy[i] * xhat;
    }
    const mg = sg / size, mgx = sgx / size;
    for (let i = base; i < end; i++) {
      const g = w ? dy[i] * w[i - base] : dy[i];
      dx[i] = rstd * ((g - mg) - dx[i] * mgx);
    }
  }
}

function adam(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, w2: Float32Array, m2: Float32Array, v2: Float32Array, p: FusedParams['adam']): void {
  // optim/adam.ts's op order with its float32 scalars, every step rounded: the composite's bits
  const hasDecay = p.weightDecay !== 0;
  const decoupled = hasDecay && p.decoupled, coupled = hasDecay && !p.decoupled;
  const keep = f(1 - p.lr * p.weightDecay), wd = f(p.weightDecay);
  const b1 = f(p.beta1), c1 = f(1 - p.beta1), b2 = f(p.beta2), c2 = f(1 - p.beta2);
  const bc2 = f(p.bc2Sqrt), eps = f(p.eps), step = f(p.stepSize);
  const n = p.size;
  for (let i = 0; i < n; i++) {
    const pw = w[i];
    const param = decoupled ? f(pw * keep) : pw;
    const gr = coupled ? f(g[i] + f(pw * wd)) : g[i];
    const m1 = f(f(m[i] * b1) + f(gr * c1));
    const v1 = f(f(v[i] * b2) + f(f(gr * gr) * c2));
    const denom = f(f(f(Math.sqrt(v1)) / bc2) + eps);
    w2[i] = param - f(f(m1 / denom) * step);
    m2[i] = m1;
    v2[i] = v1;
  }
}

// One batch row's gates, float32 as the composite rounds them (the store rounds), for a forward
// kernel and its backward alike; grown on demand, never per row
let gateScratch = new Float32Array(1024);

/**
 * The gates of one batch row at xp[row ...] → [G·H]: LSTM (G = 4) σ(i), σ(f), tanh(g), σ(o) of
 * a = xp + hp; GRU (G = 3) r, z = σ(xp + hp) and n = tanh(x_n + r·h_n).
 */
function cellGates(xp: Float32Array, hp: Float32Array, row: number, H: number, G: 3 | 4): Float32Array {
  if (gateScratch.length < G * H) gateScratch = new Float32Array(G * H);
  const g = gateScratch;
  for (let j = 0; j < H; j++) {
    const k = row + j;
    g[j] = sigmoid(f(xp[k] + hp[k]));
    g[j + H] = sigmoid(f(xp[k + H] + hp[k + H]));
    if (G === 4) {
      g[j + 2 * H] = Math.tanh(f(xp[k + 2 * H] + hp[k + 2 * H]));
      g[j + 3 * H] = sigmoid(f(xp[k + 3 * H] + hp[k + 3 * H]));
    } else {
      g[j + 2 * H] = Math.tanh(f(xp[k + 2 * H] + f(g[j] * hp[k + 2 * H])));
    }
  }
  return g;
}

function lstmCell(xp: Float32Array, hp: Float32Array, c: Float32Array, hc: Float32Array, p: FusedParams['lstmCell']): void {
  // the composite: a = xp + hp; c' = σ(f)·c + σ(i)·tanh(g); h' = σ(o)·tanh(c'), each op rounded
  const { batch, hidden: H } = p;
  for (let b = 0; b < batch; b++) {
    const g = cellGates(xp, hp, b * 4 * H, H, 4);
    const out = b * 2 * H, cr = b * H;
    for (let j = 0; j < H; j++) {
      const cn = f(f(g[j + H] * c[cr + j]) + f(g[j] * g[j + 2 * H]));
      hc[out + j] = g[j + 3 * H] * f(Math.tanh(cn));
      hc[out + H + j] = cn;
    }
  }
}

function lstmCellBackward(xp: Float32Array, hp: Float32Array, c: Float32Array, dhc: Float32Array, da: Float32Array, dc: Float32Array, p: FusedParams['lstmCellBackward']): void {
  const { batch, hidden: H } = p;
  for (let b = 0; b < batch; b++) {
    const row = b * 4 * H, out = b * 2 * H, cr = b * H;
    const g = cellGates(xp, hp, row, H, 4);
    for (let j = 0; j < H; j++) {
      const k = row + j;
      const gi = g[j], gf = g[j + H], gg = g[j + 2 * H], go = g[j + 3 * H];
      const cprev = c[cr + j];
      const th = f(Math.tanh(f(f(gf * cprev) + f(gi * gg))));
      const dh = dhc[out + j];
      const dct = dhc[out + H + j] + dh * go * (1 - th * th);
      da[k] = dct * gg * (gi * (1 - gi));
      da[k + H] = dct * cprev * (gf * (1 - gf));
      da[k + 2 * H] = dct * gi * (1 - gg * gg);
      da[k + 3 * H] = dh * th * (go * (1 - go));
      dc[cr + j] = dct * gf;
    }
  }
}

function gruCell(xp: Float32Array, hp: Float32Array, h: Float32Array, hn: Float32Array, p: FusedParams['gruCell']): void {
  // h' = n + z·(h − n), the composite's form of (1 − z)·n + z·h, each op rounded as there
  const { batch, hidden: H } = p;
  for (let b = 0; b < batch; b++) {
    const g = cellGates(xp, hp, b * 3 * H, H, 3);
    const hr = b * H;
    for (let j = 0; j < H; j++) {
      const n = g[j + 2 * H];
      hn[hr + j] = n + f(g[j + H] * f(h[hr + j] - n));
    }
  }
}

function gruCellBackward(xp: Float32Array, hp: Float32Array, h: Float32Array, dout: Float32Array, dxp: Float32Array, dhp: Float32Array, dh: Float32Array, p: FusedParams['gruCellBackward']): void {
  // the composite's VJPs: dn = g − z·g, dz = g·(h − n), dh = g·z; n's pre-activation feeds x_n
  // directly and h_n through r, which gets dan·h_n
  const { batch, hidden: H } = p;
  for (let b = 0; b < batch; b++) {
    const row = b * 3 * H, hr = b * H;
    const g = cellGates(xp, hp, row, H, 3);
    for (let j = 0; j < H; j++) {
      const k = row + j;
      const r = g[j], z = g[j + H], n = g[j + 2 * H];
      const gi = dout[hr + j];
      const zg = gi * z;
      const dan = (gi - zg) * (1 - n * n);
      const dar = dan * hp[k + 2 * H] * (r * (1 - r));
      const daz = gi * (h[hr + j] - n) * (z * (1 - z));
      dxp[k] = dar; dxp[k + H] = daz; dxp[k + 2 * H] = dan;
      dhp[k] = dar; dhp[k + H] = daz; dhp[k + 2 * H] = dan * r;
      dh[hr + j] = zg;
    }
  }
}

// rnnLayer's state and per-step projections, grown on demand
let layerScratch = new Float32Array(0);

/**
 * Every step of one recurrent layer in one direction: per step the matmul kernel's h·W_hhᵀ, the
 * bias added with the binary kernel's float32 rounding, then the cell above — the step-by-step
 * path's arithmetic and bits, without the dozen tensors (and their bookkeeping) it makes a step.
 */
function rnnLayer(x: Float32Array[], o: Float32Array[], p: FusedParams['rnnLayer']): void {
  const { kind, steps: T, batch: B, hidden: H, hasBias, reverse } = p;
  const G = kind === 'LSTM' ? 4 : kind === 'GRU' ? 3 : 1;
  const GH = G * H;
  const [xp, wHh] = x;
  const bHh = hasBias ? x[2] : null;
  const h0 = x[hasBias ? 3 : 2], c0 = kind === 'LSTM' ? x[hasBias ? 4 : 3] : null;
  const [out, cN] = o;
  // scratch: hp [B·G·H] | h [B·H] | c [B·H] | the cell's output [B·2H]
  const need = B * GH + 4 * B * H;
  if (layerScratch.length < need) layerScratch = new Float32Array(need);
  const hp = layerScratch.subarray(0, B * GH);
  const h = layerScratch.subarray(B * GH, B * GH + B * H);
  const c = layerScratch.subarray(B * GH + B * H, B * GH + 2 * B * H);
  const cellOut = layerScratch.subarray(B * GH + 2 * B * H, need);
  h.set(h0);
  if (c0) c.set(c0);
  const mm = { batch: 1, m: B, k: H, n: GH, transA: false, transB: true, aBatchStride: 0, bBatchStride: 0 };
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    matmulKernel(h, wHh, hp, mm);
    if (bHh) for (let b = 0; b < B; b++) for (let j = 0; j < GH; j++) hp[b * GH + j] += bHh[j];
    const xt = xp.subarray(t * B * GH, (t + 1) * B * GH);
    if (kind === 'LSTM') {
      lstmCell(xt, hp, c, cellOut, { batch: B, hidden: H });
      for (let b = 0; b < B; b++) {
        h.set(cellOut.subarray(2 * b * H, (2 * b + 1) * H), b * H);
        c.set(cellOut.subarray((2 * b + 1) * H, (2 * b + 2) * H), b * H);
      }
    } else if (kind === 'GRU') {
      gruCell(xt, hp, h, cellOut, { batch: B, hidden: H });
      h.set(cellOut.subarray(0, B * H));
    } else if (kind === 'RNN_TANH') {
      for (let k = 0; k < B * H; k++) h[k] = Math.tanh(f(xt[k] + hp[k]));
    } else {
      for (let k = 0; k < B * H; k++) { const v = f(xt[k] + hp[k]); h[k] = v > 0 ? v : 0; }
    }
    out.set(h, t * B * H);
  }
  if (cN) cN.set(c);
}

/** Runs fused kernel `name` on host arrays; false (nothing written) while fusion is off or for what it does not take. */
export function runCpuFused<K extends FusedName>(name: K, ins: TypedArray[], outs: TypedArray[], params: FusedParams[K]): boolean {
  if (!enabled) return false;
  const x = ins as Float32Array[], o = outs as Float32Array[];
  switch (name) {
    case 'softmax': softmax(x[0], o[0], params as FusedParams['softmax']); return true;
    case 'softmaxBackward': softmaxBackward(x[0], x[1], o[0], params as FusedParams['softmaxBackward']); return true;
    case 'layerNorm': {
      const p = params as FusedParams['layerNorm'];
      layerNorm(x[0], p.hasWeight ? x[1] : null, p.hasBias ? x[p.hasWeight ? 2 : 1] : null, o[0], p);
      return true;
    }
    case 'layerNormBackward': {
      const p = params as FusedParams['layerNormBackward'];
      layerNormBackward(x[0], x[1], p.hasWeight ? x[2] : null, o[0], o[1], p);
      return true;
    }
    case 'crossEntropy': crossEntropy(x[0], ins[1] as Int32Array, o[0], params as FusedParams['crossEntropy']); return true;
    case 'crossEntropyBackward': crossEntropyBackward(x[0], ins[1] as Int32Array, x[2], o[0], params as FusedParams['crossEntropyBackward']); return true;
    case 'adam': adam(x[0], x[1], x[2], x[3], o[0], o[1], o[2], params as FusedParams['adam']); return true;
    case 'lstmCell': lstmCell(x[0], x[1], x[2], o[0], params as FusedParams['lstmCell']); return true;
    case 'lstmCellBackward': lstmCellBackward(x[0], x[1], x[2], x[3], o[0], o[1], params as FusedParams['lstmCellBackward']); return true;
    case 'gruCell': gruCell(x[0], x[1], x[2], o[0], params as FusedParams['gruCell']); return true;
    case 'gruCellBackward': gruCellBackward(x[0], x[1], x[2], x[3], o[0], o[1], o[2], params as FusedParams['gruCellBackward']); return true;
    case 'rnnLayer': rnnLayer(x, o, params as FusedParams['rnnLayer']); return true;
    default: return false; // attention: the composite
  }
}
