/**
 * A causal language model exported to ONNX the common way — `input_ids` (1, T) in, `logits`
 * (1, T, V) out, as Hugging Face's GPT-2 `decoder_model.onnx` — read with a GPT-2-style
 * tokenizer: next-token logits for a prompt. Such exports carry no attention outputs, so this
 * runner shows the distribution only.
 */
import { text } from '../../engine/index.ts';
import type { OrtApi, Session } from './session.ts';
import { int64, logitsRow, run } from './session.ts';

type Gpt2Tokenizer = InstanceType<typeof text.Gpt2Tokenizer>;

/** Inputs the runner knows how to fill for a plain forward pass over the whole prompt. */
const FEEDABLE = new Set(['input_ids', 'attention_mask', 'position_ids', 'token_type_ids']);

export class CausalLmRunner {
  private constructor(
    readonly ort: OrtApi,
    readonly session: Session,
    readonly tokenizer: Gpt2Tokenizer,
    /** Longest prompt the model is given (its context; the prompt's start is dropped beyond it). */
    readonly blockSize: number,
    /** Width of the logits: the model's vocabulary. */
    readonly vocabSize: number,
  ) {}

  /**
   * Checks that the graph takes inputs this runner can feed and that its vocabulary matches the
   * tokenizer's (with one forward pass); throws a reader-facing reason otherwise.
   */
  static async open(ort: OrtApi, session: Session, tokenizer: Gpt2Tokenizer, blockSize = 1024): Promise<CausalLmRunner> {
    const unknown = session.inputNames.filter((n) => !FEEDABLE.has(n));
    if (!session.inputNames.includes('input_ids') || unknown.length > 0) {
      throw new Error(
        `its graph takes inputs ${session.inputNames.join(', ')}; the book can feed ${[...FEEDABLE].join(', ')} — ` +
          'use an export without past key values (for GPT-2 on Hugging Face: onnx/decoder_model.onnx or decoder_model_quantized.onnx)',
      );
    }
    if (!session.outputNames.includes('logits')) throw new Error(`its graph has no "logits" output (it has ${session.outputNames.join(', ')})`);
    const probe = new CausalLmRunner(ort, session, tokenizer, blockSize, 0);
    const vocabSize = (await probe.forward([0])).dims[2]!;
    if (vocabSize < tokenizer.vocabSize) {
      throw new Error(
        `its vocabulary has ${vocabSize.toLocaleString('en')} tokens but GPT-2's tokenizer has ${tokenizer.vocabSize.toLocaleString('en')}: ` +
          'a bare .onnx file is read with GPT-2\'s tokenizer; for a model with its own, give the address of its folder (with config.json)',
      );
    }
    return new CausalLmRunner(ort, session, tokenizer, blockSize, vocabSize);
  }

  encode(prompt: string): number[] {
    return this.tokenizer.encode(prompt);
  }

  private async forward(ids: readonly number[]) {
    const t = ids.length;
    const feeds: Record<string, ReturnType<typeof int64>> = { input_ids: int64(this.ort, ids, [1, t]) };
    const names = this.session.inputNames;
    if (names.includes('attention_mask')) feeds.attention_mask = int64(this.ort, Array(t).fill(1), [1, t]);
    if (names.includes('position_ids')) feeds.position_ids = int64(this.ort, Array.from({ length: t }, (_, i) => i), [1, t]);
    if (names.includes('token_type_ids')) feeds.token_type_ids = int64(this.ort, Array(t).fill(0), [1, t]);
    return (await run(this.session, feeds)).logits!;
  }

  /** Logits for the token after the prompt (its last blockSize tokens). */
  async step(ids: readonly number[]): Promise<{ ids: number[]; logits: Float32Array }> {
    if (ids.length === 0) throw new Error('the prompt is empty; type at least one character');
    const ctx = ids.slice(-this.blockSize);
    const logits = await this.forward(ctx);
    return { ids: ctx, logits: logitsRow(logits, ctx.length - 1).slice() };
  }
}
