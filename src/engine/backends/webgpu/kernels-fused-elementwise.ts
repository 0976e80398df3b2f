// Fused elementwise kernels: one Adam/AdamW step, and LSTM and GRU cells forward/backward. Each
// keeps its composite's operation order and float32 scalars, so values match the CPU path
// to rounding while one dispatch replaces a dozen.
import type { FusedParams } from '../../backend.ts';
import { UNARY_HELPERS } from './kernels-elementwise.ts';
import type { Dispatch } from './wgsl.ts';
import { FLOAT_HELPERS, f32Bits, perElementShader, grid, paramBlock } from './wgsl.ts';

function shader(bindings: string, body: string): string {
  return perElementShader(
    `${FLOAT_HELPERS}${UNARY_HELPERS}
fn pf(i: u32) -> f32 { return bitcast<f32>(p(i)); }
fn tanh_(x: f32) -> f32 { return select(tanh(clamp(x, -15.0, 15.0)), x, is_nan(x)); }
fn sqrt_(x: f32) -> f32 { return select(sqrt(x), nan_f32(), x < 0.0 || is_nan(x)); }
`,
    bindings,
    body,
  );
}

export function planAdam(p: FusedParams['adam']): Dispatch[] {
  const hasDecay = p.weightDecay !== 0;
  // optim/adam.ts: param = p·(1 − lr·wd) (AdamW) or g = g + p·wd (Adam); m, v updates;
  // p' = param − (m / (√v / √bc2 + eps))·(lr / bc1)
  const decay = hasDecay && p.decoupled ? 'pw * pf(1u)' : 'pw';
  const grad = hasDecay && !p.decoupled ? 'g[i] + pw * pf(2u)' : 'g[i]';
  const body = `
  let pw = w[i];
  let param = ${decay};
  let gr = ${grad};
  let m1 = m[i] * pf(3u) + gr * pf(4u);
  let v1 = v[i] * pf(5u) + (gr * gr) * pf(6u);
  let denom = sqrt_(v1) / pf(7u) + pf(8u);
  w2[i] = param - (m1 / denom) * pf(9u);
  m2[i] = m1;
  v2[i] = v1;`;
  const f = (x: number) => f32Bits(x);
  return [{
    key: `fused:adam:${hasDecay ? (p.decoupled ? 'decoupled' : 'l2') : 'plain'}`,
    code: () => shader(`@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read> m: array<f32>;
@group(0) @binding(4) var<storage, read> v: array<f32>;
@group(0) @binding(5) var<storage, read_write> w2: array<f32>;
@group(0) @binding(6) var<storage, read_write> m2: array<f32>;
@group(0) @binding(7) var<storage, read_write> v2: array<f32>;`, body),
    params: paramBlock([
      p.size, f(1 - p.lr * p.weightDecay), f(p.weightDecay), f(p.beta1), f(1 - p.beta1), f(p.beta2), f(1 - p.beta2),
      f(p.bc2Sqrt), f(p.eps), f(p.stepSize),
    ]),
    workgroups: grid(p.size),
  }];
}

// gate pre-activations a_k = xp + hp for k in i, f, g, o (torch's order)
const LSTM_GATES = `
  let H = p(1u);
  let b = i / H; let j = i % H;
  let row = b * 4u * H + j;
  let ai = xp[row] + hp[row];
  let af = xp[row + H] + hp[row + H];
  let ag = xp[row + 2u * H] + hp[row + 2u * H];
  let ao = xp[row + 3u * H] + hp[row + 3u * H];
  let gi = sigmoid_(ai); let gf = sigmoid_(af); let gg = tanh_(ag); let go = sigmoid_(ao);
  let cprev = c[i];
  let cn = gf * cprev + gi * gg;
  let th = tanh_(cn);`;

const LSTM_INPUTS = `@group(0) @binding(1) var<storage, read> xp: array<f32>;
@group(0) @binding(2) var<storage, read> hp: array<f32>;
@group(0) @binding(3) var<storage, read> c: array<f32>;`;

export function planLstmCell(p: FusedParams['lstmCell']): Dispatch[] {
  const n = p.batch * p.hidden;
  return [{
    key: 'fused:lstmCell',
    code: () => shader(`${LSTM_INPUTS}
@group(0) @binding(4) var<storage, read_write> hc: array<f32>;`, `${LSTM_GATES}
  hc[b * 2u * H + j] = go * th;
  hc[b * 2u * H + H + j] = cn;`),
    params: paramBlock([n, p.hidden]),
    workgroups: grid(n),
  }];
}

export function planLstmCellBackward(p: FusedParams['lstmCellBackward']): Dispatch[] {
  const n = p.batch * p.hidden;
  return [{
    key: 'fused:lstmCellBackward',
    code: () => shader(`${LSTM_INPUTS}
@group(0) @binding(4) var<storage, read> dhc: array<f32>;
@group(0) @binding(5) var<storage, read_write> da: array<f32>;
@group(0) @binding(6) var<storage, read_write> dc: array<f32>;`, `${LSTM_GATES}
  let dh = dhc[b * 2u * H + j];
  let dct = dhc[b * 2u * H + H + j] + dh * go * (1.0 - th * th);
  da[row] = dct * gg * (gi * (1.0 - gi));
  da[row + H] = dct * cprev * (gf * (1.0 - gf));
  da[row + 2u * H] = dct * gi * (1.0 - gg * gg);
  da[row + 3u * H] = dh * th * (go * (1.0 - go));
  dc[i] = dct * gf;`),
    params: paramBlock([n, p.hidden]),
    workgroups: grid(n),
  }];
}

// GRU (torch's gate order r, z, n): r, z = σ(xp + hp), n = tanh(x_n + r·h_n), h' = n + z·(h − n)
// — the composite's own form of (1 − z)·n + z·h, so both round alike.
const GRU_GATES = `
  let H = p(1u);
  let b = i / H; let j = i % H;
  let row = b * 3u * H + j;
  let r = sigmoid_(xp[row] + hp[row]);
  let z = sigmoid_(xp[row + H] + hp[row + H]);
  let hn = hp[row + 2u * H];
  let n = tanh_(xp[row + 2u * H] + r * hn);
  let hprev = h[i];`;

const GRU_INPUTS = `@group(0) @binding(1) var<storage, read> xp: array<f32>;
@group(0) @binding(2) var<storage, read> hp: array<f32>;
@group(0) @binding(3) var<storage, read> h: array<f32>;`;

export function planGruCell(p: FusedParams['gruCell']): Dispatch[] {
  const n = p.batch * p.hidden;
  return [{
    key: 'fused:gruCell',
    code: () => shader(`${GRU_INPUTS}
@group(0) @binding(4) var<storage, read_write> hn_out: array<f32>;`, `${GRU_GATES}
  hn_out[i] = n + z * (hprev - n);`),
    params: paramBlock([n, p.hidden]),
    workgroups: grid(n),
  }];
}

export function planGruCellBackward(p: FusedParams['gruCellBackward']): Dispatch[] {
  const n = p.batch * p.hidden;
  // the composite's VJPs: dn = g − z·g, dz = g·(h − n), dh = g·z; n's pre-activation feeds
  // x_n directly and h_n through r, which gets dan·h_n
  return [{
    key: 'fused:gruCellBackward',
    code: () => shader(`${GRU_INPUTS}
@group(0) @binding(4) var<storage, read> g: array<f32>;
@group(0) @binding(5) var<storage, read_write> dxp: array<f32>;
@group(0) @binding(6) var<storage, read_write> dhp: array<f32>;
@group(0) @binding(7) var<storage, read_write> dh: array<f32>;`, `${GRU_GATES}
  let gi = g[i];
  let zg = gi * z;
  let dn = gi - zg;
  let dz = gi * (hprev - n);
  let dan = dn * (1.0 - n * n);
  let dar = (dan * hn) * (r * (1.0 - r));
  let daz = dz * (z * (1.0 - z));
  dxp[row] = dar; dxp[row + H] = daz; dxp[row + 2u * H] = dan;
  dhp[row] = dar; dhp[row + H] = daz; dhp[row + 2u * H] = dan * r;
  dh[i] = zg;`),
    params: paramBlock([n, p.hidden]),
    workgroups: grid(n),
  }];
}
