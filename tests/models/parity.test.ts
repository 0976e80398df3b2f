// Every shipped model loads into the book's engine from its own ONNX file (the initializers carry
// the PyTorch state_dict names) and the engine's outputs — logits and every attention map, or the
// forecast — match onnxruntime's (onnxruntime-web's Node build, wasm EP) within 1e-4.
import { describe, expect, it } from 'vitest';
import * as T from '../../src/engine/index.ts';
import { loadEngineWeights } from '../../src/runtime/models/engine-weights.ts';
import { readOnnxInitializers } from '../../src/runtime/models/onnx-weights.ts';
import type { BertRunner } from '../../src/runtime/models/bert.ts';
import type { ForecasterRunner } from '../../src/runtime/models/forecaster.ts';
import type { GptRunner } from '../../src/runtime/models/gpt.ts';
import type { Seq2SeqRunner } from '../../src/runtime/models/seq2seq.ts';
import { int64, run } from '../../src/runtime/models/session.ts';
import { flat, hasModel, ids2d, loadFromDisk, maxAbsDiff, nodeOrt } from './helpers.ts';

const TOL = 1e-4;
const report: Record<string, number> = {};

function check(name: string, what: string, engine: ArrayLike<number>, onnx: ArrayLike<number>): void {
  const d = maxAbsDiff(engine, onnx);
  report[`${name} ${what}`] = d;
  expect(d, `${name} ${what}: max |engine - onnxruntime|`).toBeLessThan(TOL);
}

describe.each(['gpt-sotu', 'gpt-sotu-student'])('%s', (name) => {
  it.runIf(hasModel(name))('engine GPT = onnxruntime (logits and attention of every layer and head)', async () => {
    const loaded = await loadFromDisk(name);
    const runner = loaded.runner as GptRunner;
    const c = runner.config.config;
    const model = new T.GPT({ vocabSize: c.vocabSize, blockSize: c.blockSize, nLayer: c.nLayer, nHead: c.nHead, nEmbd: c.nEmbd });
    loadEngineWeights(model, readOnnxInitializers(loaded.onnx));
    model.eval();
    const ids = runner.encode('The Congress of the United States shall assemble at least once in every year.');
    const out = await run(loaded.session, { input_ids: int64(nodeOrt, ids, [1, ids.length]) });
    const mine = T.noGrad(() => model.forward(ids2d(ids), { returnAttention: true }));
    check(name, 'logits', await mine.logits.data(), out.logits!.data as Float32Array);
    check(name, 'attention', await flat(mine.attention), out.attention!.data as Float32Array);
  });
});

describe('bert-sotu', () => {
  it.runIf(hasModel('bert-sotu'))('engine BERT = onnxruntime', async () => {
    const loaded = await loadFromDisk('bert-sotu');
    const runner = loaded.runner as BertRunner;
    const c = runner.config.config;
    const model = new T.BERT({ vocabSize: c.vocabSize, maxLen: c.maxLen, nLayer: c.nLayer, nHead: c.nHead, nEmbd: c.nEmbd });
    loadEngineWeights(model, readOnnxInitializers(loaded.onnx));
    model.eval();
    const ids = runner.encode('I ask the Congress to [MASK] this law without delay.');
    const shape = [1, ids.length];
    const out = await run(loaded.session, { input_ids: int64(nodeOrt, ids, shape), attention_mask: int64(nodeOrt, ids.map(() => 1), shape) });
    const mine = T.noGrad(() => model.forward(ids2d(ids), { returnAttention: true }));
    check('bert-sotu', 'logits', await mine.logits.data(), out.logits!.data as Float32Array);
    check('bert-sotu', 'attention', await flat(mine.attention), out.attention!.data as Float32Array);
  });
});

describe('seq2seq-dates', () => {
  it.runIf(hasModel('seq2seq-dates'))('engine Seq2Seq = onnxruntime (logits, encoder, decoder and cross-attention)', async () => {
    const loaded = await loadFromDisk('seq2seq-dates');
    const runner = loaded.runner as Seq2SeqRunner;
    const c = runner.config.config;
    const model = new T.Seq2Seq({ vocabSize: c.vocabSize, maxLen: c.maxLen, nLayer: c.nLayer, nHead: c.nHead, nEmbd: c.nEmbd });
    loadEngineWeights(model, readOnnxInitializers(loaded.onnx));
    model.eval();
    const src = runner.encode('Wednesday, March 3, 2021');
    const tgt = [runner.config.tokenizer.bos, ...runner.tokenizer.encode('2021-03-0')];
    const out = await run(loaded.session, { src_ids: int64(nodeOrt, src, [1, src.length]), tgt_ids: int64(nodeOrt, tgt, [1, tgt.length]) });
    const mine = T.noGrad(() => model.forward(ids2d(src), ids2d(tgt), { returnAttention: true }));
    check('seq2seq-dates', 'logits', await mine.logits.data(), out.logits!.data as Float32Array);
    check('seq2seq-dates', 'encoder attention', await flat(mine.encoderAttention), out.encoder_attention!.data as Float32Array);
    check('seq2seq-dates', 'decoder self-attention', await flat(mine.decoderSelfAttention), out.decoder_self_attention!.data as Float32Array);
    check('seq2seq-dates', 'cross-attention', await flat(mine.crossAttention), out.cross_attention!.data as Float32Array);
    // And the decoding the widget shows gives the ISO date.
    expect((await runner.translate('3rd of March 2021')).output).toBe('2021-03-03');
  });
});

describe('lstm-births', () => {
  it.runIf(hasModel('lstm-births'))('engine LSTM + Linear = onnxruntime (prediction and every hidden state)', async () => {
    const loaded = await loadFromDisk('lstm-births');
    const runner = loaded.runner as ForecasterRunner;
    const { hiddenSize, window } = runner.config.config;
    class Forecaster extends T.nn.Module {
      lstm = this.registerModule('lstm', new T.nn.LSTM(1, hiddenSize, { batchFirst: true }));
      head = this.registerModule('head', new T.nn.Linear(hiddenSize, 1));
      forward(x: T.Tensor): T.Tensor {
        const [out] = this.lstm.forward(x); // (B, T, H)
        return this.head.forward(T.select(out, 1, -1)); // (B, 1)
      }
    }
    const model = new Forecaster();
    loadEngineWeights(model, readOnnxInitializers(loaded.onnx));
    const { mean, std } = runner.config.normalisation;
    const z = Float32Array.from(runner.series.births.slice(1000, 1000 + window), (v) => (v - mean) / std);
    const out = await run(loaded.session, { window: new nodeOrt.Tensor('float32', z, [1, window, 1]) });
    const [hidden] = T.noGrad(() => model.lstm.forward(T.tensor(z, { shape: [1, window, 1] })));
    const pred = T.noGrad(() => model.forward(T.tensor(z, { shape: [1, window, 1] })));
    check('lstm-births', 'hidden', await hidden.data(), out.hidden!.data as Float32Array);
    check('lstm-births', 'prediction', await pred.data(), out.prediction!.data as Float32Array);
  });
});

describe('report', () => {
  it('prints the max abs differences', () => {
    console.log(Object.entries(report).map(([k, v]) => `${k}: ${v.toExponential(2)}`).join('\n'));
  });
});
