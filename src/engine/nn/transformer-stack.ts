// nn.TransformerEncoder / nn.TransformerDecoder: N copies of a layer (state-dict names
// layers.{i}.<layer names>) and an optional final norm (norm.*), like torch.
import type { Tensor } from '../tensor.ts';
import { tidy } from '../memory.ts';
import type { LayerNorm } from './layers.ts';
import { Module, ModuleList } from './module.ts';
import { TransformerDecoderLayer, TransformerEncoderLayer } from './transformer.ts';
import type { DecoderLayerForwardOptions } from './transformer.ts';

function copies<L extends { clone(): L }>(layer: L, n: number, name: string): L[] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: numLayers must be a positive integer, got ${n}`);
  // torch deep-copies the prototype layer: every copy starts from the same weights
  return Array.from({ length: n }, () => layer.clone());
}

/** A stack of encoder layers: forward(src, { mask, srcKeyPaddingMask }). */
export class TransformerEncoder extends Module {
  readonly layers: ModuleList<TransformerEncoderLayer>;
  readonly norm: LayerNorm | null;

  constructor(encoderLayer: TransformerEncoderLayer, numLayers: number, opts: { norm?: LayerNorm | null } = {}) {
    super();
    this.layers = this.registerModule('layers', new ModuleList(copies(encoderLayer, numLayers, 'TransformerEncoder')));
    this.norm = this.registerModule('norm', opts.norm ?? null);
  }

  forward(src: Tensor, opts: { mask?: Tensor | null; srcKeyPaddingMask?: Tensor | null } = {}): Tensor {
    return tidy(() => {
      let x = src;
      for (const layer of this.layers) x = layer.forward(x, { srcMask: opts.mask, srcKeyPaddingMask: opts.srcKeyPaddingMask });
      return this.norm ? this.norm.forward(x) : x;
    });
  }
}

/** A stack of decoder layers: forward(tgt, memory, { tgtMask, memoryMask, ... }). */
export class TransformerDecoder extends Module {
  readonly layers: ModuleList<TransformerDecoderLayer>;
  readonly norm: LayerNorm | null;

  constructor(decoderLayer: TransformerDecoderLayer, numLayers: number, opts: { norm?: LayerNorm | null } = {}) {
    super();
    this.layers = this.registerModule('layers', new ModuleList(copies(decoderLayer, numLayers, 'TransformerDecoder')));
    this.norm = this.registerModule('norm', opts.norm ?? null);
  }

  forward(tgt: Tensor, memory: Tensor, opts: DecoderLayerForwardOptions = {}): Tensor {
    return tidy(() => {
      let x = tgt;
      for (const layer of this.layers) x = layer.forward(x, memory, opts);
      return this.norm ? this.norm.forward(x) : x;
    });
  }
}
