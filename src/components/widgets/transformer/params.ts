// Where a Transformer's parameters sit, and what it costs to run: pure arithmetic on a
// configuration (the transformer chapter's parameter-count explorer and its tests use it).
// A GPT-style decoder-only model: token and position embeddings, N pre-norm blocks
// (attention W^Q, W^K, W^V, W^O with biases; FFN d → d_ff → d with biases; two layer norms),
// a final layer norm, and an output layer tied to the token embedding unless `tied` is false.

export interface ModelConfig {
  /** Vocabulary size V. */
  V: number;
  /** Context length T (rows of the learned position table). */
  T: number;
  /** Model width d. */
  d: number;
  /** Number of blocks N. */
  N: number;
  /** Heads h (they split d, so they change no count; d must be divisible by h). */
  h: number;
  /** FFN width as a multiple of d (4 in GPT-2 and GPT-3). */
  ffMult: number;
  /** Output layer shares the token embedding (true in GPT-2 and nano-gpt). */
  tied: boolean;
}

export interface Breakdown {
  tokenEmbedding: number;
  positionEmbedding: number;
  attention: number;
  mlp: number;
  norms: number;
  outputLayer: number;
  perBlock: number;
  total: number;
}

export const COMPONENTS = ['tokenEmbedding', 'positionEmbedding', 'attention', 'mlp', 'norms', 'outputLayer'] as const;
export type Component = (typeof COMPONENTS)[number];
export const COMPONENT_LABELS: Record<Component, { name: string; formula: string }> = {
  tokenEmbedding: { name: 'token embedding', formula: 'V·d' },
  positionEmbedding: { name: 'position embedding', formula: 'T·d' },
  attention: { name: 'attention', formula: 'N(4d² + 4d)' },
  mlp: { name: 'feed-forward', formula: 'N(2d·d_ff + d_ff + d)' },
  norms: { name: 'layer norms', formula: 'N·4d + 2d' },
  outputLayer: { name: 'output layer (untied)', formula: 'V·d' },
};

export function paramBreakdown(c: ModelConfig): Breakdown {
  const { V, T, d, N } = c;
  const ff = c.ffMult * d;
  const attention = 4 * d * d + 4 * d;
  const mlp = 2 * d * ff + ff + d;
  const norms = 4 * d;
  const b = {
    tokenEmbedding: V * d,
    positionEmbedding: T * d,
    attention: N * attention,
    mlp: N * mlp,
    norms: N * norms + 2 * d,
    outputLayer: c.tied ? 0 : V * d,
    perBlock: attention + mlp + norms,
  };
  return { ...b, total: b.tokenEmbedding + b.positionEmbedding + b.attention + b.mlp + b.norms + b.outputLayer };
}

/**
 * Forward-pass FLOPs for one token with a full context of T (Kaplan et al., 2020):
 * 2 per weight that multiplies (every parameter but the embeddings and norms, plus the output
 * layer even when tied) plus 2·N·T·d for the scores and the weighted sum of the values.
 */
export function flopsPerToken(c: ModelConfig): number {
  const b = paramBreakdown(c);
  const matmulWeights = b.attention + b.mlp + c.V * c.d;
  return 2 * matmulWeights + 2 * c.N * c.T * c.d;
}

/** Bytes: the weights in fp32 and fp16, and the fp16 key–value cache of one full-length sequence. */
export function memoryBytes(c: ModelConfig): { fp32: number; fp16: number; kvCache: number } {
  const total = paramBreakdown(c).total;
  return { fp32: 4 * total, fp16: 2 * total, kvCache: 2 * 2 * c.N * c.T * c.d };
}

/** Published configurations (GPT-2: Radford et al. 2019; GPT-3: Brown et al. 2020; nano-gpt: deck 001 / bbycroft.net/llm). */
export const PRESETS: Record<string, ModelConfig> = {
  'nano-gpt': { V: 3, T: 11, d: 48, N: 3, h: 3, ffMult: 4, tied: true },
  'GPT-2 small': { V: 50257, T: 1024, d: 768, N: 12, h: 12, ffMult: 4, tied: true },
  'GPT-2 XL': { V: 50257, T: 1024, d: 1600, N: 48, h: 25, ffMult: 4, tied: true },
  'GPT-3': { V: 50257, T: 2048, d: 12288, N: 96, h: 96, ffMult: 4, tied: true },
};

/** 124439808 → "124.4 M"; small numbers in full with thousands separators. */
export function humanCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  return n.toLocaleString('en-US');
}

/** Bytes → "498 MB" / "1.2 GB" / "342 kB" (powers of 1000). */
export function humanBytes(n: number): string {
  if (n >= 1e12) return `${(n / 1e12).toFixed(1)} TB`;
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(0)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} kB`;
  return `${n} B`;
}
