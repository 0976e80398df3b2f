// Gradients of composite ops (built from primitives) against finite differences.
import { describe, it } from 'vitest';
import * as T from '../../src/engine/index.ts';
import { gradCheck, randTensor } from './helpers.ts';

describe('composite gradients match finite differences', () => {
  it('softmax / logSoftmax / logsumexp', async () => {
    await gradCheck((x) => T.softmax(x, -1), [randTensor([2, 5], 1, -2, 2)], { name: 'softmax' });
    await gradCheck((x) => T.logSoftmax(x, 0), [randTensor([3, 4], 2, -2, 2)], { name: 'logSoftmax' });
    await gradCheck((x) => T.logsumexp(x, [0, 2]), [randTensor([2, 3, 2], 3)], { name: 'logsumexp' });
  });
  it('layerNorm with affine parameters', async () => {
    await gradCheck((x, w, b) => T.layerNorm(x, [4], w, b), [randTensor([3, 4], 1), randTensor([4], 2), randTensor([4], 3)]);
  });
  it('gelu exact and tanh', async () => {
    await gradCheck((x) => T.gelu(x), [randTensor([2, 4], 1, -3, 3)], { name: 'gelu' });
    await gradCheck((x) => T.gelu(x, { approximate: 'tanh' }), [randTensor([2, 4], 2, -3, 3)], { name: 'gelu tanh' });
  });
  it('mean / var / std / min / rsqrt / clamp', async () => {
    await gradCheck((x) => T.mean(x, 1), [randTensor([2, 3], 1)], { name: 'mean' });
    await gradCheck((x) => T.variance(x, -1, true), [randTensor([2, 5], 2)], { name: 'var' });
    await gradCheck((x) => T.std(x, [0, 1], { unbiased: false }), [randTensor([2, 5], 3)], { name: 'std' });
    await gradCheck((x) => T.rsqrt(x), [randTensor([5], 4, 0.5, 2)], { name: 'rsqrt' });
    await gradCheck((x) => T.clamp(x, -0.5, 0.5), [T.tensor([-0.9, -0.2, 0.1, 0.3, 0.8], { requiresGrad: true })], { name: 'clamp' });
  });
  it('scaledDotProductAttention (causal, with float and bool masks)', async () => {
    const q = randTensor([2, 3, 4], 1);
    const k = randTensor([2, 3, 4], 2);
    const v = randTensor([2, 3, 4], 3);
    await gradCheck((a, b, c) => T.scaledDotProductAttention(a, b, c, { isCausal: true }), [q, k, v], { name: 'causal' });
    const mask = T.tensor([[true, false, true]]);
    await gradCheck((a, b, c) => T.scaledDotProductAttention(a, b, c, { attnMask: mask }), [randTensor([2, 3, 4], 4), randTensor([2, 3, 4], 5), randTensor([2, 3, 4], 6)], { name: 'bool mask' });
  });
  it('losses', async () => {
    const targets = T.tensor([1, 0, 3], { dtype: 'int32' });
    await gradCheck((x) => T.crossEntropy(x, targets, { labelSmoothing: 0.1 }), [randTensor([3, 4], 1, -2, 2)], { name: 'crossEntropy' });
    await gradCheck((x) => T.nllLoss(T.logSoftmax(x, 1), targets), [randTensor([3, 4], 2)], { name: 'nllLoss' });
    await gradCheck((x, y) => T.mseLoss(x, y), [randTensor([3, 4], 3), randTensor([3, 4], 4)], { name: 'mseLoss' });
    await gradCheck((x) => T.binaryCrossEntropyWithLogits(x, T.tensor([[1, 0], [0, 1]])), [randTensor([2, 2], 5, -3, 3)], { name: 'bce' });
    await gradCheck((s, t) => T.distillationLoss(s, t, targets, { T: 2, alpha: 0.7 }), [randTensor([3, 4], 6), randTensor([3, 4], 7)], { name: 'distillation' });
  });
  it('embedding, indexSelect, stack, split', async () => {
    const idx = T.tensor([[0, 2], [2, 1]], { dtype: 'int32' });
    await gradCheck((w) => T.embedding(idx, w), [randTensor([3, 4], 1)], { name: 'embedding' });
    await gradCheck((x, y) => T.stack([x, y], 1), [randTensor([2, 3], 2), randTensor([2, 3], 3)], { name: 'stack' });
    await gradCheck((x) => T.split(x, [1, 2], 1)[1], [randTensor([2, 3], 4)], { name: 'split' });
    await gradCheck((x) => x.repeat(2, 1).tril(), [randTensor([2, 2], 5)], { name: 'repeat + tril' });
  });
});
