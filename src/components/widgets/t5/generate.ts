// Greedy decoding one token at a time on the shipped model's onnxruntime session, yielding after
// every token so the widget can show the output grow with its cross-attention. Each pass runs the
// whole decoder input so far; its cross-attention row t belongs to the step that wrote token t.
import type { Seq2SeqRunner } from '../../../runtime/models/seq2seq.ts';
import { attentionOf, int64, logitsRow, run, type AttentionMaps } from '../../../runtime/models/session.ts';

export interface DecodeStep {
  /** The source as the encoder reads it, one entry per token (characters and sentinels). */
  srcTokens: string[];
  /** The tokens written so far (no [BOS], no [EOS]). */
  outTokens: string[];
  /** Cross-attention of this pass: (layers, heads, rows = outTokens.length (+1 with [EOS]), cols = source tokens). */
  cross: AttentionMaps;
  /** True once [EOS] came or the length limit was reached. */
  done: boolean;
  /** Whether the model closed the output with [EOS] itself. */
  stopped: boolean;
}

function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

export async function* decodeSteps(runner: Seq2SeqRunner, source: string, maxNew: number): AsyncGenerator<DecodeStep> {
  const src = runner.encode(source);
  const { bos, eos } = runner.config.tokenizer;
  const show = (id: number): string => runner.tokenizer.idToToken(id);
  const srcTokens = src.map(show);
  const srcT = int64(runner.ort, src, [1, src.length]);
  const tgt = [bos];
  for (let step = 0; step < maxNew; step++) {
    const out = await run(runner.session, { src_ids: srcT, tgt_ids: int64(runner.ort, tgt, [1, tgt.length]) });
    const next = argmax(logitsRow(out.logits!, tgt.length - 1));
    const stopped = next === eos;
    if (!stopped) tgt.push(next);
    const done = stopped || step === maxNew - 1;
    yield { srcTokens, outTokens: tgt.slice(1).map(show), cross: attentionOf(out.cross_attention!), done, stopped };
    if (done) return;
  }
}

