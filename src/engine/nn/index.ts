// nn: PyTorch-shaped modules. Parameter names and layouts equal torch's state_dict().
export { Module, ModuleList, Sequential, parameter } from './module.ts';
export type { StateDictValue, LoadStateDictOptions, LoadStateDictResult } from './module.ts';
export * as init from './init.ts';
export { Linear, Embedding, LayerNorm, Dropout, ReLU, GELU, Tanh, Sigmoid, Identity } from './layers.ts';
export type { LinearOptions, EmbeddingOptions, LayerNormOptions } from './layers.ts';
export { RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell } from './recurrent.ts';
export type { LSTMOptions, RNNOptions } from './recurrent.ts';
export { KVCache, MultiheadAttention } from './attention.ts';
export type { MultiheadAttentionOptions, MultiheadAttentionForwardOptions } from './attention.ts';
export {
  TransformerEncoderLayer, TransformerDecoderLayer, sinusoidalPositionalEncoding, causalMask, generateSquareSubsequentMask,
} from './transformer.ts';
export { TransformerEncoder, TransformerDecoder } from './transformer-stack.ts';
export type { Activation, TransformerLayerOptions, EncoderLayerForwardOptions, DecoderLayerForwardOptions } from './transformer.ts';
