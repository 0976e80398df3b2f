// Public API of the Attention Lab tensor engine. Runs unchanged in a page, a Web Worker and Node.
import './backends/cpu.ts';
import './tensor-methods.ts';
import { Tensor } from './tensor.ts';

export { Tensor };
export type { NestedArray } from './tensor.ts';
export type { TensorMethods } from './tensor-methods.ts';
export type { DType, TypedArray } from './dtype.ts';

// backends
export { setBackend, getBackend, registerBackend, listBackends } from './backend.ts';
export type { Backend, BackendBuffer, KernelName, KernelParams, FusedName, FusedParams, UnaryOp, BinaryOp, ReduceOp } from './backend.ts';
export { CpuBackend } from './backends/cpu.ts';
// WebGPU: navigator.gpu in pages and workers; in Node the `webgpu` package through an import
// bundlers never follow. initBackend('auto') takes WebGPU where an adapter exists, else CPU.
export { initBackend, initWebGPU, webgpuBackend, WebGpuBackend, WebGpuDeviceLostError } from './backends/webgpu/index.ts';
export type { BackendChoice, WebGpuInitOptions, WebGpuBackendOptions } from './backends/webgpu/index.ts';

// memory
export { tidy, keep, memory } from './memory.ts';
export type { MemoryInfo } from './memory.ts';

// autograd
export { noGrad, enableGrad, isGradEnabled } from './autograd.ts';
export type { BackwardOptions } from './autograd.ts';
export { PRIMITIVES } from './vjp.ts';

// random
export { Generator, manualSeed, defaultGenerator } from './random.ts';

// printing
export { formatTensor, setPrintOptions, printOptions } from './format.ts';
export type { PrintOptions } from './format.ts';

// creation
export {
  tensor, scalar, zeros, ones, full, zerosLike, onesLike, fullLike, arange, linspace, eye,
  rand, randn, randint, randLike, randnLike,
} from './ops/creation.ts';
export type { TensorData, TensorOptions, CreateOptions, RandomOptions, NestedData } from './ops/creation.ts';

// elementwise
export {
  add, sub, mul, div, pow, maximum, minimum, neg, abs, sign, exp, log, sqrt, rsqrt, square, reciprocal,
  tanh, sigmoid, relu, gelu, sin, cos, erf, clamp, eq, ne, lt, le, gt, ge, logicalAnd, logicalOr,
  logicalNot, isnan, isinf, where, maskedFill,
} from './ops/elementwise.ts';
export type { TensorLike, GeluOptions } from './ops/elementwise.ts';

// reductions
export { sum, mean, max, min, argmax, argmin, variance, std, logsumexp, any, all } from './ops/reduce.ts';
export type { DimArg, VarOptions } from './ops/reduce.ts';

// shapes
export {
  reshape, view, flatten, unflatten, permute, transpose, squeeze, unsqueeze, expand, expandAs, broadcastTo,
  slice, narrow, select, cat, stack, split, chunk, contiguous, clone, to, pad, repeat, tril, triu,
} from './ops/shape-ops.ts';

// linear algebra, indexing, nn
export { matmul, linear } from './ops/linalg.ts';
export { gather, scatterAdd, indexSelect, embedding, oneHot } from './ops/indexing.ts';
export type { EmbeddingOptions } from './ops/indexing.ts';
export {
  softmax, logSoftmax, layerNorm, dropout, scaledDotProductAttention, attentionWeights, detach,
} from './ops/nn-functional.ts';
export type { AttentionOptions } from './ops/nn-functional.ts';
export {
  mseLoss, l1Loss, crossEntropy, nllLoss, klDiv, binaryCrossEntropyWithLogits, distillationLoss,
} from './ops/losses.ts';
export type {
  Reduction, NllOptions, CrossEntropyOptions, KlDivOptions, BceOptions, DistillationOptions,
} from './ops/losses.ts';

export * as functional from './functional.ts';

/** Dispose and clear .grad on each tensor (optimizers' zero_grad(set_to_none=True)). */
export function zeroGrad(tensors: Iterable<Tensor>): void {
  for (const t of tensors) {
    if (t.grad) {
      t.grad.dispose();
      t.grad = null;
    }
  }
}

// looking inside a model: the attention weights a forward pass computes
export { recordAttention, type RecordedAttention } from './attention-record.ts';

// layers, optimizers, whole models, tokenizers and sampling
export * as nn from './nn/index.ts';
export * as optim from './optim/index.ts';
export { GPT, BERT, Seq2Seq } from './models/index.ts';
export type { GPTConfig, BERTConfig, Seq2SeqConfig } from './models/index.ts';
export * as text from './text/index.ts';
