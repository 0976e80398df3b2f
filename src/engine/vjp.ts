// THE gradient table: one vector–Jacobian product per differentiable primitive.
// Each rule gets the upstream gradient g (shape of the output) and returns one gradient per
// input (null where no gradient flows). Rules run under noGrad inside backward(), so they may
// freely call primitives; broadcasting ops sum their gradient back with sumTo.
import type { Tensor } from './tensor.ts';
import {
  binaryP, castP, expandP, fillP, gatherP, matmulP, reduceP, reshapeP, scatterAddP, sliceP, sumTo,
  unaryP, unsliceRaw, whereP, permuteP,
} from './primitives.ts';
import type { SliceParams } from './primitives.ts';

export interface VjpContext {
  readonly inputs: readonly Tensor[];
  readonly out: Tensor;
  readonly params: unknown;
}
export type VjpRule = (g: Tensor, ctx: VjpContext) => (Tensor | null)[];

const scalar = (v: number, like: Tensor): Tensor => fillP([], 'float32', v, like._storage.backend);
const mul = (a: Tensor, b: Tensor): Tensor => binaryP('mul', a, b);
const mulS = (a: Tensor, v: number): Tensor => binaryP('mul', a, scalar(v, a));
const div = (a: Tensor, b: Tensor): Tensor => binaryP('div', a, b);
const sub = (a: Tensor, b: Tensor): Tensor => binaryP('sub', a, b);
const neg = (a: Tensor): Tensor => unaryP('neg', a);
const asFloat = (m: Tensor): Tensor => castP(m, 'float32');
/** Gradient weights of max/min: 1 where this side wins, 1/2 on ties (as torch). */
const winWeight = (a: Tensor, b: Tensor, win: 'gt' | 'lt'): Tensor =>
  binaryP('add', asFloat(binaryP(win, a, b)), mulS(asFloat(binaryP('eq', a, b)), 0.5));

const reduceParams = (ctx: VjpContext) => ctx.params as { dims: number[]; keepdim: boolean };
const keptShape = (x: Tensor, dims: number[]) => x.shape.map((d, i) => (dims.includes(i) ? 1 : d));

export const VJP: Record<string, VjpRule> = {
  // ── binary elementwise (broadcasting) ──
  add: (g, { inputs: [a, b] }) => [sumTo(g, a.shape), sumTo(g, b.shape)],
  sub: (g, { inputs: [a, b] }) => [sumTo(g, a.shape), sumTo(neg(g), b.shape)],
  mul: (g, { inputs: [a, b] }) => [a.requiresGrad ? sumTo(mul(g, b), a.shape) : null, b.requiresGrad ? sumTo(mul(g, a), b.shape) : null],
  div: (g, { inputs: [a, b], out }) => [
    a.requiresGrad ? sumTo(div(g, b), a.shape) : null,
    b.requiresGrad ? sumTo(neg(div(mul(g, out), b)), b.shape) : null,
  ],
  pow: (g, { inputs: [a, b], out }) => [
    a.requiresGrad ? sumTo(mul(g, mul(b, binaryP('pow', a, sub(b, scalar(1, b))))), a.shape) : null,
    // d/db a^b = a^b·log a, defined as 0 where a == 0 (torch convention)
    b.requiresGrad
      ? sumTo(mul(g, whereP(binaryP('eq', a, scalar(0, a)), scalar(0, a), mul(out, unaryP('log', a)))), b.shape)
      : null,
  ],
  maximum: (g, { inputs: [a, b] }) => [sumTo(mul(g, winWeight(a, b, 'gt')), a.shape), sumTo(mul(g, winWeight(b, a, 'gt')), b.shape)],
  minimum: (g, { inputs: [a, b] }) => [sumTo(mul(g, winWeight(a, b, 'lt')), a.shape), sumTo(mul(g, winWeight(b, a, 'lt')), b.shape)],

  // ── unary elementwise ──
  neg: (g) => [neg(g)],
  exp: (g, { out }) => [mul(g, out)],
  log: (g, { inputs: [a] }) => [div(g, a)],
  sqrt: (g, { out }) => [div(g, mulS(out, 2))],
  abs: (g, { inputs: [a] }) => [mul(g, unaryP('sign', a))],
  tanh: (g, { out }) => [mul(g, sub(scalar(1, out), mul(out, out)))],
  sigmoid: (g, { out }) => [mul(g, mul(out, sub(scalar(1, out), out)))],
  relu: (g, { out }) => [mul(g, asFloat(binaryP('gt', out, scalar(0, out))))],
  sin: (g, { inputs: [a] }) => [mul(g, unaryP('cos', a))],
  cos: (g, { inputs: [a] }) => [neg(mul(g, unaryP('sin', a)))],
  erf: (g, { inputs: [a] }) => [mul(g, mulS(unaryP('exp', neg(mul(a, a))), 2 / Math.sqrt(Math.PI)))],

  // ── selection ──
  where: (g, { inputs: [c, a, b] }) => {
    const zero = scalar(0, g);
    return [null, sumTo(whereP(c, g, zero), a.shape), sumTo(whereP(c, zero, g), b.shape)];
  },
  cast: (g) => [g],

  // ── reductions ──
  sum: (g, ctx) => {
    const [x] = ctx.inputs;
    const { dims } = reduceParams(ctx);
    return [expandP(reshapeP(g, keptShape(x, dims)), x.shape)];
  },
  max: (g, ctx) => {
    // gradient shared equally between tied maxima (torch amax semantics)
    const [x] = ctx.inputs;
    const { dims } = reduceParams(ctx);
    const kept = keptShape(x, dims);
    const mask = asFloat(binaryP('eq', x, reshapeP(ctx.out, kept)));
    const count = reduceP('sum', mask, dims, true);
    return [mul(mask, div(reshapeP(g, kept), count))];
  },

  // ── linear algebra ──
  // C = op(A)·op(B) where op transposes when the flag is set
  matmul: (g, { inputs: [a, b], params }) => {
    const { transA, transB } = params as { transA: boolean; transB: boolean };
    const da = !a.requiresGrad ? null : transA ? matmulP(b, g, transB, true) : matmulP(g, b, false, !transB);
    const db = !b.requiresGrad ? null : transB ? matmulP(g, a, true, transA) : matmulP(a, g, !transA, false);
    return [da, db];
  },

  // ── views and data movement ──
  reshape: (g, ctx) => [reshapeP(g, (ctx.params as { from: number[] }).from)],
  permute: (g, ctx) => {
    const perm = (ctx.params as { perm: number[] }).perm;
    const inv = new Array<number>(perm.length);
    perm.forEach((p, i) => (inv[p] = i));
    return [permuteP(g, inv)];
  },
  expand: (g, { inputs: [x] }) => [sumTo(g, x.shape)],
  slice: (g, { inputs: [x], params }) => [unsliceRaw(g, x.shape, params as SliceParams)],
  pad: (g, { inputs: [x], params }) => {
    const pads = (params as { pads: [number, number][] }).pads;
    return [sliceP(g, { starts: pads.map((p) => p[0]), steps: pads.map(() => 1), shape: [...x.shape] })];
  },
  cat: (g, { inputs, params }) => {
    const { dim, sizes } = params as { dim: number; sizes: number[] };
    let at = 0;
    return inputs.map((x, i) => {
      const starts = x.shape.map(() => 0);
      starts[dim] = at;
      at += sizes[i];
      return x.requiresGrad ? sliceP(g, { starts, steps: x.shape.map(() => 1), shape: [...x.shape] }) : null;
    });
  },
  gather: (g, { inputs: [x, index], params }) => {
    const { dim } = params as { dim: number };
    return [scatterAddP(fillP(x.shape, 'float32', 0, g._storage.backend), dim, index, g), null];
  },
  scatterAdd: (g, { inputs: [, index, src], params }) => {
    const { dim } = params as { dim: number };
    return [g, null, src.requiresGrad ? gatherP(g, dim, index) : null];
  },
};

/** Names of all differentiable primitives (documentation and tests). */
export const PRIMITIVES: readonly string[] = Object.keys(VJP);

/**
 * Gradient rules of fused kernels (fused.ts fills it). Only backends with `runFused` record
 * these, so the CPU's graphs hold primitives alone and stay the reference.
 */
export const FUSED_VJP: Record<string, VjpRule> = {};

export function vjpRule(op: string): VjpRule | undefined {
  return VJP[op] ?? FUSED_VJP[op];
}
