/** The shipped GPT on onnxruntime: next-token distributions and attention for a prompt. */
import { text } from '../../engine/index.ts';
import type { AttentionMaps, OrtApi, Session } from './session.ts';
import { attentionOf, int64, logitsRow, run } from './session.ts';

type Gpt2Tokenizer = InstanceType<typeof text.Gpt2Tokenizer>;

export interface GptConfigJson {
  kind: 'gpt';
  config: { vocabSize: number; blockSize: number; nLayer: number; nHead: number; nEmbd: number };
}

export interface TokenProbability {
  id: number;
  /** The token's text (leading space shown as a space). */
  text: string;
  probability: number;
}

export interface GptStep {
  /** The ids the model saw (the prompt cropped to the context). */
  ids: number[];
  /** Logits for the token after the last one. */
  logits: Float32Array;
  attention: AttentionMaps;
}

export class GptRunner {
  constructor(
    readonly ort: OrtApi,
    readonly session: Session,
    readonly tokenizer: Gpt2Tokenizer,
    readonly config: GptConfigJson,
  ) {}

  get blockSize(): number {
    return this.config.config.blockSize;
  }

  /**
   * The prompt's ids as the model met text in training. Its corpus is running text, where nearly
   * every word follows a space, so its 2048-token vocabulary holds ' The' but spells a bare 'The'
   * as T, h, e; a prompt is read as if it continued a text, with one leading space
   * (`addPrefixSpace`), so its first word is a whole token too.
   */
  encode(prompt: string): number[] {
    // A character-level model (gpt-icl) has no spaces to add.
    const tok = this.tokenizer as Gpt2Tokenizer | InstanceType<typeof text.CharTokenizer>;
    return tok instanceof text.Gpt2Tokenizer ? tok.encode(prompt, { addPrefixSpace: true }) : tok.encode(prompt);
  }

  /** One forward pass over the last blockSize ids. */
  async step(ids: readonly number[]): Promise<GptStep> {
    if (ids.length === 0) throw new Error('GPT: the prompt is empty; type at least one character');
    const ctx = ids.slice(-this.blockSize);
    const out = await run(this.session, { input_ids: int64(this.ort, ctx, [1, ctx.length]) });
    return { ids: ctx, logits: logitsRow(out.logits!, ctx.length - 1).slice(), attention: attentionOf(out.attention!) };
  }

  /** The k most likely next tokens after softmax(logits / temperature). */
  topTokens(logits: ArrayLike<number>, k: number, temperature = 1): TokenProbability[] {
    const probs = text.softmaxWithTemperature(logits, temperature);
    const order = Array.from(probs.keys()).sort((a, b) => probs[b]! - probs[a]!).slice(0, k);
    return order.map((id) => ({ id, text: this.tokenizer.decode([id]), probability: probs[id]! }));
  }
}
