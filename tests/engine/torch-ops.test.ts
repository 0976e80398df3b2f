// Every case of the PyTorch fixtures (tests/fixtures/torch/ops.json, losses.json): forward
// values and gradients d(sum(output·upstream))/d(input) against torch. One table maps each
// torch op name to the engine call; a case whose op is missing from the table fails.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as T from '../../src/engine/index.ts';
import type { Tensor } from '../../src/engine/index.ts';
import { expectClose } from './helpers.ts';

interface FxTensor { shape: number[]; dtype?: string; data: (number | string)[] }
interface FxCase {
  name: string;
  op: string;
  args: Record<string, unknown>;
  inputs: Record<string, FxTensor>;
  output?: FxTensor;
  outputs?: FxTensor[];
  upstream?: FxTensor;
  upstreams?: (FxTensor | null)[];
  grads?: Record<string, FxTensor>;
}

const num = (v: number | string): number => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : (v as number));
const argNum = (v: unknown): number => num(v as number | string);

function toTensor(t: FxTensor, requiresGrad: boolean): Tensor {
  const dtype = t.dtype === 'bool' ? 'bool' : t.dtype === 'int64' || t.dtype === 'int32' ? 'int32' : 'float32';
  return T.tensor(t.data.map(num), { shape: t.shape, dtype, requiresGrad: requiresGrad && dtype === 'float32' });
}

type In = Record<string, Tensor>;
type A = Record<string, unknown>;
type OpFn = (i: In, a: A) => Tensor | Tensor[];

const other = (i: In, a: A): Tensor | number => i.b ?? argNum(a.other ?? a.exponent);
const dims = (a: A) => a.dim as number | number[] | undefined;
const reduction = (a: A) => a.reduction as 'mean' | 'sum' | 'none' | undefined;

function sdpa(i: In, a: A): Tensor[] {
  const L = i.q.shape[2];
  const S = i.k.shape[2];
  let allowed: Tensor | null = null;
  if (a.is_causal) allowed = T.tril(T.ones([L, S], { dtype: 'bool' }));
  if (i.key_padding_mask) {
    const [B] = i.key_padding_mask.shape;
    const keep = i.key_padding_mask.logicalNot().reshape(B, 1, 1, S);
    allowed = allowed ? allowed.logicalAnd(keep) : keep;
  }
  const weights = T.attentionWeights(i.q, i.k, { attnMask: allowed });
  return [T.matmul(weights, i.v), weights];
}

/** torch op name → engine call. */
const OPS: Record<string, OpFn> = {
  add: (i, a) => T.add(i.a, other(i, a)),
  sub: (i, a) => T.sub(i.a, other(i, a)),
  mul: (i, a) => T.mul(i.a, other(i, a)),
  div: (i, a) => T.div(i.a, other(i, a)),
  pow: (i, a) => T.pow(i.a, other(i, a)),
  maximum: (i) => T.maximum(i.a, i.b),
  minimum: (i) => T.minimum(i.a, i.b),
  eq: (i, a) => T.eq(i.a, other(i, a)),
  lt: (i, a) => T.lt(i.a, other(i, a)),
  gt: (i, a) => T.gt(i.a, other(i, a)),
  where: (i) => T.where(i.condition, i.a, i.b),
  masked_fill: (i, a) => T.maskedFill(i.a, i.mask, argNum(a.value)),
  neg: (i) => T.neg(i.a),
  exp: (i) => T.exp(i.a),
  log: (i) => T.log(i.a),
  sqrt: (i) => T.sqrt(i.a),
  rsqrt: (i) => T.rsqrt(i.a),
  abs: (i) => T.abs(i.a),
  tanh: (i) => T.tanh(i.a),
  sigmoid: (i) => T.sigmoid(i.a),
  relu: (i) => T.relu(i.a),
  sin: (i) => T.sin(i.a),
  cos: (i) => T.cos(i.a),
  gelu: (i, a) => T.gelu(i.a, { approximate: a.approximate as 'none' | 'tanh' }),
  clamp: (i, a) => T.clamp(i.a, a.min as number | undefined, a.max as number | undefined),
  sum: (i, a) => T.sum(i.a, dims(a), a.keepdim as boolean | undefined),
  mean: (i, a) => T.mean(i.a, dims(a), a.keepdim as boolean | undefined),
  max: (i, a) => (a.dim === undefined ? T.max(i.a) : [T.max(i.a, a.dim as number, a.keepdim as boolean), T.argmax(i.a, a.dim as number, a.keepdim as boolean)]),
  min: (i, a) => (a.dim === undefined ? T.min(i.a) : [T.min(i.a, a.dim as number, a.keepdim as boolean), T.argmin(i.a, a.dim as number, a.keepdim as boolean)]),
  argmax: (i, a) => T.argmax(i.a, a.dim as number | undefined, a.keepdim as boolean | undefined),
  var: (i, a) => T.variance(i.a, dims(a), { unbiased: a.unbiased as boolean, keepdim: a.keepdim as boolean | undefined }),
  std: (i, a) => T.std(i.a, dims(a), { unbiased: a.unbiased as boolean, keepdim: a.keepdim as boolean | undefined }),
  logsumexp: (i, a) => T.logsumexp(i.a, dims(a), a.keepdim as boolean | undefined),
  matmul: (i) => T.matmul(i.a, i.b),
  reshape: (i, a) => T.reshape(i.a, a.shape as number[]),
  permute: (i, a) => T.permute(i.a, a.dims as number[]),
  transpose: (i, a) => T.transpose(i.a, a.dim0 as number, a.dim1 as number),
  squeeze: (i, a) => T.squeeze(i.a, a.dim as number | undefined),
  unsqueeze: (i, a) => T.unsqueeze(i.a, a.dim as number),
  expand: (i, a) => T.expand(i.a, a.sizes as number[]),
  slice: (i, a) => T.slice(i.a, a.dim as number, a.start as number | null, a.end as number | null, a.step as number),
  narrow: (i, a) => T.narrow(i.a, a.dim as number, a.start as number, a.length as number),
  select: (i, a) => T.select(i.a, a.dim as number, a.index as number),
  cat: (i, a) => T.cat([i.a, i.b, i.c].filter(Boolean), a.dim as number),
  stack: (i, a) => T.stack([i.a, i.b, i.c].filter(Boolean), a.dim as number),
  split: (i, a) => T.split(i.a, a.split_size_or_sections as number | number[], a.dim as number),
  chunk: (i, a) => T.chunk(i.a, a.chunks as number, a.dim as number),
  gather: (i, a) => T.gather(i.a, a.dim as number, i.index),
  index_select: (i, a) => T.indexSelect(i.a, a.dim as number, i.index),
  one_hot: (i, a) => T.oneHot(i.a, a.num_classes as number),
  embedding: (i, a) => T.embedding(i.input, i.weight, { paddingIdx: a.padding_idx as number | undefined }),
  scatter_add: (i, a) => T.scatterAdd(i.a, a.dim as number, i.index, i.src),
  softmax: (i, a) => T.softmax(i.a, a.dim as number),
  log_softmax: (i, a) => T.logSoftmax(i.a, a.dim as number),
  layer_norm: (i, a) => T.layerNorm(i.a, a.normalized_shape as number[], i.weight, i.bias, a.eps as number),
  dropout: (i, a) => T.dropout(i.a, a.p as number, a.training as boolean),
  sdpa,
  // losses.json
  mse_loss: (i, a) => T.mseLoss(i.input, i.target, { reduction: reduction(a) }),
  cross_entropy: (i, a) => T.crossEntropy(i.input, i.target, {
    reduction: reduction(a), ignoreIndex: a.ignore_index as number | undefined, labelSmoothing: a.label_smoothing as number | undefined,
  }),
  nll_loss: (i, a) => T.nllLoss(i.input, i.target, { reduction: reduction(a), ignoreIndex: a.ignore_index as number | undefined }),
  kl_div: (i, a) => T.klDiv(i.input, i.target, { reduction: a.reduction as 'batchmean', logTarget: a.log_target as boolean }),
  binary_cross_entropy_with_logits: (i, a) => T.binaryCrossEntropyWithLogits(i.input, i.target, { reduction: reduction(a) }),
  distillation: (i, a) => T.distillationLoss(i.student, i.teacher, i.target, { T: a.T as number, alpha: a.alpha as number }),
};

const DTYPE = { float32: 'float32', int64: 'int32', int32: 'int32', bool: 'bool' } as Record<string, string>;

async function runCase(c: FxCase): Promise<void> {
  const fn = OPS[c.op];
  if (!fn) throw new Error(`no engine mapping for torch op '${c.op}' (case ${c.name})`);
  const inputs: In = {};
  for (const [k, v] of Object.entries(c.inputs)) inputs[k] = toTensor(v, c.grads !== undefined && k in c.grads);
  const res = fn(inputs, c.args);
  const outs = Array.isArray(res) ? res : [res];
  const expected = c.outputs ?? [c.output!];
  expect(outs.length, `${c.name}: number of outputs`).toBe(expected.length);
  for (let k = 0; k < outs.length; k++) {
    expect([...outs[k].shape], `${c.name}: output ${k} shape`).toEqual(expected[k].shape);
    expect(outs[k].dtype, `${c.name}: output ${k} dtype`).toBe(DTYPE[expected[k].dtype ?? 'float32']);
    expectClose(await outs[k].data(), expected[k].data.map(num), 1e-5, 1e-4, `${c.name}: output ${k}`);
  }
  if (!c.grads) return;
  const ups = c.upstreams ?? [c.upstream!];
  let total: Tensor | null = null;
  for (let k = 0; k < outs.length; k++) {
    const up = ups[k];
    if (!up) continue;
    const term = T.mul(outs[k], T.tensor(up.data.map(num), { shape: up.shape })).sum();
    total = total ? total.add(term) : term;
  }
  total!.backward();
  for (const [name, g] of Object.entries(c.grads)) {
    const x = inputs[name];
    const got = x.grad ? await x.grad.data() : new Float32Array(x.size);
    expectClose(got, g.data.map(num), 1e-4, 1e-3, `${c.name}: grad ${name}`);
  }
}

for (const group of ['ops', 'losses']) {
  const file = JSON.parse(readFileSync(new URL(`../fixtures/torch/${group}.json`, import.meta.url), 'utf8')) as { cases: FxCase[] };
  describe(`torch fixtures: ${group}.json`, () => {
    it('has cases', () => expect(file.cases.length).toBeGreaterThan(0));
    for (const c of file.cases) it(c.name, () => runCase(c));
  });
}
