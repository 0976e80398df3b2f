// The same forward pass on the book's engine, on whichever backend is current when the model is
// built (its parameters live there). Weights load exactly as tests/models/parity.test.ts loads
// them: the ONNX initializers carry the PyTorch state_dict names. A timed call is input upload,
// forward with attention (what the ONNX graph computes too) and reading every output back.
import * as T from '../../src/engine/index.ts';
import type { BertRunner } from '../../src/runtime/models/bert.ts';
import type { ForecasterRunner } from '../../src/runtime/models/forecaster.ts';
import { loadEngineWeights } from '../../src/runtime/models/engine-weights.ts';
import type { GptRunner } from '../../src/runtime/models/gpt.ts';
import type { LoadedModel } from '../../src/runtime/models/load.ts';
import { readOnnxInitializers } from '../../src/runtime/models/onnx-weights.ts';
import type { Seq2SeqRunner } from '../../src/runtime/models/seq2seq.ts';
import type { Workload } from './workloads.ts';

export interface EngineModel {
  /** Runs the forward and awaits every output's data. */
  forward(): Promise<void>;
  dispose(): void;
}

/** The LSTM forecaster as the export script defines it: LSTM over the window, Linear on the last state. */
class Forecaster extends T.nn.Module {
  lstm: T.nn.LSTM;
  head: T.nn.Linear;
  constructor(hiddenSize: number) {
    super();
    this.lstm = this.registerModule('lstm', new T.nn.LSTM(1, hiddenSize, { batchFirst: true }));
    this.head = this.registerModule('head', new T.nn.Linear(hiddenSize, 1));
  }
  /** x (B, W, 1) → [prediction (B, 1), hidden (B, W, H)], the graph's two outputs. */
  forward(x: T.Tensor): [T.Tensor, T.Tensor] {
    const [hidden] = this.lstm.forward(x); // (B, W, H)
    return [this.head.forward(T.select(hidden, 1, -1)), hidden]; // (B, 1), (B, W, H)
  }
}

function ids2d(ids: readonly number[]): T.Tensor {
  return T.tensor(Int32Array.from(ids), { shape: [1, ids.length], dtype: 'int32' });
}

/** Builds the engine model for `loaded` on the current backend, with its weights. */
export function buildEngineModel(loaded: LoadedModel, work: Workload): EngineModel {
  const initializers = readOnnxInitializers(loaded.onnx);
  let module: T.nn.Module;
  let outputs: () => T.Tensor[];
  switch (work.kind) {
    case 'gpt': {
      const c = (loaded.runner as GptRunner).config.config;
      const model = new T.GPT({ vocabSize: c.vocabSize, blockSize: c.blockSize, nLayer: c.nLayer, nHead: c.nHead, nEmbd: c.nEmbd });
      module = model;
      outputs = () => {
        const r = model.forward(ids2d(work.ids), { returnAttention: true });
        return [r.logits, ...r.attention];
      };
      break;
    }
    case 'bert': {
      const runner = loaded.runner as BertRunner;
      const c = runner.config.config;
      const model = new T.BERT({ vocabSize: c.vocabSize, maxLen: c.maxLen, nLayer: c.nLayer, nHead: c.nHead, nEmbd: c.nEmbd });
      module = model;
      outputs = () => {
        // Tokenising is inside the timed call, as it is in BertRunner.forward.
        const r = model.forward(ids2d(runner.encode(work.sentence)), { returnAttention: true });
        return [r.logits, ...r.attention];
      };
      break;
    }
    case 'seq2seq': {
      const c = (loaded.runner as Seq2SeqRunner).config.config;
      const model = new T.Seq2Seq({ vocabSize: c.vocabSize, maxLen: c.maxLen, nLayer: c.nLayer, nHead: c.nHead, nEmbd: c.nEmbd });
      module = model;
      outputs = () => {
        const r = model.forward(ids2d(work.src), ids2d(work.tgt), { returnAttention: true });
        return [r.logits, ...r.encoderAttention, ...r.decoderSelfAttention, ...r.crossAttention];
      };
      break;
    }
    case 'lstm': {
      const model = new Forecaster((loaded.runner as ForecasterRunner).config.config.hiddenSize);
      module = model;
      outputs = () => model.forward(T.tensor(work.normalised, { shape: [1, work.normalised.length, 1] }));
      break;
    }
  }
  loadEngineWeights(module, initializers);
  module.eval();
  return {
    async forward() {
      // tidy frees the inputs and intermediates; the outputs are freed once read.
      const out = T.tidy(() => T.noGrad(outputs));
      try {
        await Promise.all(out.map((t) => t.data()));
      } finally {
        for (const t of out) t.dispose();
      }
    },
    dispose: () => module.dispose(),
  };
}
