// The `F`-style namespace: torch.nn.functional's names in camelCase.
export { softmax, logSoftmax, layerNorm, dropout, scaledDotProductAttention, attentionWeights } from './ops/nn-functional.ts';
export { gelu, relu, sigmoid, tanh } from './ops/elementwise.ts';
export { linear } from './ops/linalg.ts';
export { embedding, oneHot } from './ops/indexing.ts';
export { pad } from './ops/shape-ops.ts';
export {
  mseLoss, l1Loss, crossEntropy, nllLoss, klDiv, binaryCrossEntropyWithLogits, distillationLoss,
} from './ops/losses.ts';
