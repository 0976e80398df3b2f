// A small Vision Transformer for the 8×8 digits (the beyond-text chapter and its draw-a-digit
// widget): the image cut into P×P patches, each patch flattened and linearly embedded, a learned
// [CLS] token in front, learned position embeddings added, pre-norm encoder blocks, and a linear
// head on the [CLS] token's final vector. No DOM: the widget, its tests and the training script
// (scripts/models/train-vit-digits.ts) share it.
import { nn, cat, noGrad, randn, tensor, type Tensor } from '../../../engine/index.ts';

export const SIDE = 8;
export const PIXELS = SIDE * SIDE;
/** Pixel values run 0–16 (the UCI digits count on-pixels in 4×4 blocks of a 32×32 bitmap). */
export const MAX_PIXEL = 16;

export interface ViTConfig {
  /** Patch side P: the image becomes (8 / P)² patches of P² pixels. */
  patch: number;
  d: number;
  heads: number;
  layers: number;
  /** Feed-forward width. */
  ff: number;
}

export const DEFAULT_CONFIG: ViTConfig = { patch: 2, d: 32, heads: 4, layers: 1, ff: 64 };

/** Images [B, 64] (row by row) → patches [B, n, P²], patches in reading order. */
export function patchify(x: Tensor, P: number): Tensor {
  const B = x.shape[0]!;
  const g = SIDE / P;
  return x.reshape([B, g, P, g, P]).permute([0, 1, 3, 2, 4]).reshape([B, g * g, P * P]);
}

export class DigitViT extends nn.Module {
  readonly config: ViTConfig;
  readonly nPatches: number;
  readonly embed: nn.Linear;
  readonly cls: Tensor;
  readonly pos: Tensor;
  readonly blocks: nn.ModuleList<nn.TransformerEncoderLayer>;
  readonly norm: nn.LayerNorm;
  readonly head: nn.Linear;

  constructor(config: ViTConfig = DEFAULT_CONFIG) {
    super();
    this.config = config;
    const { patch: P, d, heads, layers, ff } = config;
    this.nPatches = (SIDE / P) ** 2;
    this.embed = this.registerModule('embed', new nn.Linear(P * P, d));
    this.cls = this.registerParameter('cls', randn([1, 1, d]).mul(0.02).detach());
    this.pos = this.registerParameter('pos', randn([1, this.nPatches + 1, d]).mul(0.02).detach());
    this.blocks = this.registerModule('blocks', new nn.ModuleList(Array.from({ length: layers }, () =>
      new nn.TransformerEncoderLayer(d, heads, { dimFeedforward: ff, dropout: 0, batchFirst: true, normFirst: true }))));
    this.norm = this.registerModule('norm', new nn.LayerNorm(d));
    this.head = this.registerModule('head', new nn.Linear(d, 10));
  }

  /** Images [B, 64] scaled to 0–1 → logits [B, 10] and each block's attention [B, h, n + 1, n + 1]. */
  forward(x: Tensor): { logits: Tensor; attention: Tensor[] } {
    const B = x.shape[0]!;
    const patches = this.embed.forward(patchify(x, this.config.patch));          // [B, n, d]
    let z = cat([this.cls.expand([B, 1, this.config.d]), patches], 1).add(this.pos); // [B, n + 1, d]
    const attention: Tensor[] = [];
    for (const block of this.blocks) {
      const r = block.forwardWithAttention(z);
      z = r.output;
      attention.push(r.attention!);
    }
    return { logits: this.head.forward(this.norm.forward(z.select(1, 0))), attention };
  }
}

/** The shipped weights file: the configuration and every parameter as { shape, data }. */
export interface ViTWeights {
  config: ViTConfig;
  weights: Record<string, { shape: number[]; data: number[] }>;
}

export function fromWeights(w: ViTWeights): DigitViT {
  const model = new DigitViT(w.config);
  model.loadStateDict(w.weights);
  model.eval();
  return model;
}

export interface Prediction {
  /** Class probabilities, digits 0–9. */
  probs: number[];
  /** [CLS]'s attention over the patches in the last block, per head (rows sum to 1 with [CLS] itself). */
  clsAttention: number[][];
  /** [CLS]'s attention to itself, per head. */
  clsSelf: number[];
}

/** One image (64 values 0–16) through the model. */
export async function predict(model: DigitViT, pixels: readonly number[]): Promise<Prediction> {
  if (pixels.length !== PIXELS) throw new Error(`predict: expected ${PIXELS} pixels, got ${pixels.length}`);
  const { probs, attn } = noGrad(() => {
    const { logits, attention } = model.forward(tensor([pixels.map((v) => v / MAX_PIXEL)]));
    return { probs: logits.softmax(-1), attn: attention.at(-1)!.select(0, 0).select(1, 0) }; // [h, n + 1]
  });
  const p = Array.from(await probs.data());
  const rows = (await attn.array()) as number[][];
  probs.dispose();
  attn.dispose();
  return { probs: p, clsAttention: rows.map((r) => r.slice(1)), clsSelf: rows.map((r) => r[0]!) };
}

/** The mean over heads of per-head rows (or one head's row). */
export function headView(rows: number[][], head: number): number[] {
  if (head >= 1 && head <= rows.length) return rows[head - 1]!;
  return rows[0]!.map((_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
}

/** 64 pixels as the data file writes them: one base-17 character each (0–9, a–g). */
export function encodePixels(pixels: readonly number[]): string {
  return pixels.map((v) => Math.max(0, Math.min(MAX_PIXEL, Math.round(v))).toString(17)).join('');
}

/** The inverse of encodePixels; null unless the text is exactly 64 such characters. */
export function decodePixels(text: string): number[] | null {
  if (!/^[0-9a-g]{64}$/.test(text)) return null;
  return Array.from(text, (c) => parseInt(c, 17));
}
