// The basic layers: Linear, Embedding, LayerNorm, Dropout and activation modules.
import type { Tensor } from '../tensor.ts';
import { tidy } from '../memory.ts';
import { arange, zeros } from '../ops/creation.ts';
import { eq, gelu, relu, sigmoid, tanh, where } from '../ops/elementwise.ts';
import { embedding } from '../ops/indexing.ts';
import { linear } from '../ops/linalg.ts';
import { dropout, layerNorm } from '../ops/nn-functional.ts';
import { contiguous, unsqueeze } from '../ops/shape-ops.ts';
import type { Generator } from '../random.ts';
import * as init from './init.ts';
import { Module } from './module.ts';

export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

/**
 * y = x Wᵀ + b. weight [outFeatures, inFeatures], bias [outFeatures] (torch layout).
 * Init like torch: weight and bias U(-1/√in, 1/√in).
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
    this.registerParameter('weight', init.kaimingUniform_(zeros([outFeatures, inFeatures]), { a: Math.sqrt(5) }));
    this.registerParameter('bias', opts.bias === false ? null : init.uniform_(zeros([outFeatures]), -bound, bound));
  }

  get weight(): Tensor { return this.getParameter('weight')!; }
  /** Replace the weight tensor itself (e.g. tie it to an embedding's weight). */
  set weight(t: Tensor) { this.registerParameter('weight', t); }
  get bias(): Tensor | null { return this.getParameter('bias'); }

  /** x [..., inFeatures] → [..., outFeatures]. */
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

export interface EmbeddingOptions {
  /** This row is initialised to zero and gets no gradient (e.g. the [PAD] token). */
  paddingIdx?: number | null;
}

/** A lookup table: weight [numEmbeddings, embeddingDim], init N(0, 1) like torch. */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;

  constructor(numEmbeddings: number, embeddingDim: number, opts: EmbeddingOptions = {}) {
    super();
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    let pad = opts.paddingIdx ?? null;
    if (pad !== null) {
      if (!Number.isInteger(pad) || pad >= numEmbeddings || pad < -numEmbeddings) {
        throw new Error(`Embedding: paddingIdx must be an integer within numEmbeddings ${numEmbeddings}, got ${pad}`);
      }
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    const w = init.normal_(zeros([numEmbeddings, embeddingDim]));
    if (pad !== null) {
      tidy(() => {
        const isPad = unsqueeze(eq(arange(numEmbeddings), pad as number), 1);
        const zeroed = where(isPad, 0, w);
        w.assign(zeroed);
      });
    }
    this.registerParameter('weight', w);
  }

  get weight(): Tensor { return this.getParameter('weight')!; }
  set weight(t: Tensor) { this.registerParameter('weight', t); }

  /** indices (int32, any shape) → [...indices.shape, embeddingDim]; the padding row gets no gradient. */
  forward(indices: Tensor): Tensor {
    return embedding(indices, this.weight, { paddingIdx: this.paddingIdx });
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, padding_idx=${this.paddingIdx}` : ''}`;
  }
}

export interface LayerNormOptions {
  eps?: number;
  /** Learn weight (init 1) and bias (init 0) of normalizedShape (default true). */
  elementwiseAffine?: boolean;
}

/** Normalise over the trailing `normalizedShape` dims (biased variance), then scale and shift. */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;

  constructor(normalizedShape: number | readonly number[], opts: LayerNormOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = opts.eps ?? 1e-5;
    const affine = opts.elementwiseAffine ?? true;
    this.registerParameter('weight', affine ? init.ones_(zeros(this.normalizedShape)) : null);
    this.registerParameter('bias', affine ? zeros(this.normalizedShape) : null);
  }

  get weight(): Tensor | null { return this.getParameter('weight'); }
  get bias(): Tensor | null { return this.getParameter('bias'); }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `(${this.normalizedShape.join(', ')}${this.normalizedShape.length === 1 ? ',' : ''}), eps=${this.eps}, elementwise_affine=${this.weight !== null}`;
  }
}

/** Zeroes elements with probability p in train mode (survivors scaled by 1/(1-p)); identity in eval. */
export class Dropout extends Module {
  readonly p: number;
  generator: Generator | undefined;

  constructor(p = 0.5, opts: { generator?: Generator } = {}) {
    super();
    if (!(p >= 0 && p <= 1)) throw new Error(`Dropout: p must be in [0, 1], got ${p}`);
    this.p = p;
    this.generator = opts.generator;
  }

  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training, this.generator);
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

export class ReLU extends Module {
  forward(x: Tensor): Tensor { return relu(x); }
}

export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';
  constructor(approximate: 'none' | 'tanh' = 'none') {
    super();
    this.approximate = approximate;
  }
  forward(x: Tensor): Tensor { return gelu(x, { approximate: this.approximate }); }
}

export class Tanh extends Module {
  forward(x: Tensor): Tensor { return tanh(x); }
}

export class Sigmoid extends Module {
  forward(x: Tensor): Tensor { return sigmoid(x); }
}

/** Returns its input unchanged (a new handle on the same data). */
export class Identity extends Module {
  forward(x: Tensor): Tensor { return contiguous(x); }
}
