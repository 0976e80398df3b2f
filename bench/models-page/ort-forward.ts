// One forward pass of a shipped model on onnxruntime, through the same runner call the book's
// widgets make. The graph returns logits and every attention map (or the LSTM's hidden states);
// they all come back to JS, which the engine side mirrors.
import type { BertRunner } from '../../src/runtime/models/bert.ts';
import type { ForecasterRunner } from '../../src/runtime/models/forecaster.ts';
import type { GptRunner } from '../../src/runtime/models/gpt.ts';
import type { LoadedModel } from '../../src/runtime/models/load.ts';
import type { Seq2SeqRunner } from '../../src/runtime/models/seq2seq.ts';
import { int64, run } from '../../src/runtime/models/session.ts';
import type { Workload } from './workloads.ts';

export function ortForward(loaded: LoadedModel, work: Workload): () => Promise<unknown> {
  switch (work.kind) {
    case 'gpt': {
      const runner = loaded.runner as GptRunner;
      return () => runner.step(work.ids);
    }
    case 'bert': {
      const runner = loaded.runner as BertRunner;
      return () => runner.forward(work.sentence);
    }
    case 'seq2seq': {
      // Seq2SeqRunner.translate makes exactly this call once per output character.
      const runner = loaded.runner as Seq2SeqRunner;
      return () =>
        run(runner.session, {
          src_ids: int64(runner.ort, work.src, [1, work.src.length]),
          tgt_ids: int64(runner.ort, work.tgt, [1, work.tgt.length]),
        });
    }
    case 'lstm': {
      const runner = loaded.runner as ForecasterRunner;
      return () => runner.predictNext(work.history);
    }
  }
}
