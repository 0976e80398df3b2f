// The fixed, representative input each model is timed on, the same for every column, and the
// one-line description the report prints beside it. Inputs are sized like what the book's
// widgets send: a GPT prompt cropped to 64 tokens, a short BERT sentence, a date, a 56-day window.
import type { BertRunner } from '../../src/runtime/models/bert.ts';
import type { ForecasterRunner } from '../../src/runtime/models/forecaster.ts';
import type { GptRunner } from '../../src/runtime/models/gpt.ts';
import type { Runner } from '../../src/runtime/models/load.ts';
import type { Seq2SeqRunner } from '../../src/runtime/models/seq2seq.ts';

export const GPT_CONTEXT = 64;

// Long enough for more than 64 tokens with the books' 2048-token BPE; cropped to exactly 64.
const GPT_PROMPT =
  'Mr. Speaker, Mr. President, members of the Congress, and my fellow citizens: the state of our ' +
  'Union is strong, because our people have worked hard, saved their money and built new ' +
  'businesses in every town across this great nation. Tonight I ask you to join me in a plan ' +
  'for better schools, safer streets, fair wages and a government that serves the families who pay for it.';

const BERT_SENTENCE = 'I ask this Congress to [MASK] the law that our schools need.'; // 16 tokens
const DATE_SOURCE = 'Wednesday, March 3, 2021';
const DATE_TARGET_PREFIX = '2021-03-0'; // the decoder input at translate's last step
const SERIES_OFFSET = 1000; // a window from inside the series, as in tests/models/parity.test.ts

export type Workload =
  | { kind: 'gpt'; ids: number[]; describe: string }
  | { kind: 'bert'; sentence: string; ids: number[]; describe: string }
  | { kind: 'seq2seq'; src: number[]; tgt: number[]; describe: string }
  | { kind: 'lstm'; history: number[]; normalised: Float32Array; describe: string };

export function workloadFor(runner: Runner, kind: string): Workload {
  switch (kind) {
    case 'gpt': {
      const gpt = runner as GptRunner;
      const ids = gpt.encode(GPT_PROMPT).slice(0, GPT_CONTEXT);
      if (ids.length < GPT_CONTEXT) throw new Error(`the GPT prompt is only ${ids.length} tokens; make it longer`);
      return { kind, ids, describe: `next-token step, context ${ids.length} tokens (GptRunner.step)` };
    }
    case 'bert': {
      const bert = runner as BertRunner;
      const ids = bert.encode(BERT_SENTENCE);
      return { kind, sentence: BERT_SENTENCE, ids, describe: `forward on a ${ids.length}-token sentence with [CLS]/[SEP] (BertRunner.forward)` };
    }
    case 'seq2seq': {
      const s2s = runner as Seq2SeqRunner;
      const src = s2s.encode(DATE_SOURCE);
      const tgt = [s2s.config.tokenizer.bos, ...s2s.tokenizer.encode(DATE_TARGET_PREFIX)];
      return { kind, src, tgt, describe: `one encoder+decoder pass, ${src.length} source / ${tgt.length} target chars (one step of translate, not the whole greedy decode)` };
    }
    case 'lstm-forecaster': {
      const lstm = runner as ForecasterRunner;
      const history = lstm.series.births.slice(SERIES_OFFSET, SERIES_OFFSET + lstm.window);
      const { mean, std } = lstm.config.normalisation;
      const normalised = Float32Array.from(history, (v) => (v - mean) / std);
      return { kind: 'lstm', history, normalised, describe: `one forecast step, ${history.length}-day window → next day (predictNext, not the 28-day rollout)` };
    }
    default:
      throw new Error(`no benchmark workload for model kind ${kind}`);
  }
}
