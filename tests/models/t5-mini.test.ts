// t5-mini, the T5-style model of the T5 chapter: its weights load into the engine's Seq2Seq from
// its own ONNX file and give onnxruntime's outputs (logits and every attention map) within 1e-4,
// on a span-corruption input with sentinels and on a prefixed task; the token-by-token decoding
// the widget shows (decodeSteps) is greedy decoding, the same as the engine's generate().
import { describe, expect, it } from 'vitest';
import * as T from '../../src/engine/index.ts';
import { decodeSteps } from '../../src/components/widgets/t5/generate.ts';
import { loadEngineWeights } from '../../src/runtime/models/engine-weights.ts';
import { readOnnxInitializers } from '../../src/runtime/models/onnx-weights.ts';
import type { Seq2SeqRunner } from '../../src/runtime/models/seq2seq.ts';
import { int64, run } from '../../src/runtime/models/session.ts';
import { flat, hasModel, ids2d, loadFromDisk, maxAbsDiff, nodeOrt } from './helpers.ts';

const TOL = 1e-4;
const NAME = 't5-mini';

describe.runIf(hasModel(NAME))(NAME, () => {
  async function setUp() {
    const loaded = await loadFromDisk(NAME);
    const runner = loaded.runner as Seq2SeqRunner;
    const c = runner.config.config;
    const model = new T.Seq2Seq({ vocabSize: c.vocabSize, maxLen: c.maxLen, nLayer: c.nLayer, nHead: c.nHead, nEmbd: c.nEmbd });
    loadEngineWeights(model, readOnnxInitializers(loaded.onnx));
    model.eval();
    return { loaded, runner, model };
  }

  it('engine Seq2Seq = onnxruntime (logits, encoder, decoder and cross-attention), with sentinels and with a prefix', async () => {
    const { loaded, runner, model } = await setUp();
    const diffs: Record<string, number> = {};
    for (const [source, target] of [
      ['The state of the <X0> is strong, and our <X1> is growing.', '<X0>Union<X1>economy<X2>'],
      ['date: Wednesday, March 3, 2021', '2021-03-0'],
      ['reverse: the Union', 'noinU eht'],
    ] as const) {
      const src = runner.encode(source);
      expect(src.filter((id) => runner.tokenizer.isSpecialId(id)).length, 'sentinels are single tokens').toBe(source.startsWith('The') ? 2 : 0);
      const tgt = [runner.config.tokenizer.bos, ...runner.tokenizer.encode(target)];
      const out = await run(loaded.session, { src_ids: int64(nodeOrt, src, [1, src.length]), tgt_ids: int64(nodeOrt, tgt, [1, tgt.length]) });
      const mine = T.noGrad(() => model.forward(ids2d(src), ids2d(tgt), { returnAttention: true }));
      const pairs: [string, Float32Array, Float32Array][] = [
        ['logits', (await mine.logits.data()) as Float32Array, out.logits!.data as Float32Array],
        ['encoder attention', await flat(mine.encoderAttention), out.encoder_attention!.data as Float32Array],
        ['decoder self-attention', await flat(mine.decoderSelfAttention), out.decoder_self_attention!.data as Float32Array],
        ['cross-attention', await flat(mine.crossAttention), out.cross_attention!.data as Float32Array],
      ];
      for (const [what, a, b] of pairs) {
        const d = maxAbsDiff(a, b);
        diffs[what] = Math.max(diffs[what] ?? 0, d);
        expect(d, `${NAME} ${what} on “${source}”: max |engine - onnxruntime|`).toBeLessThan(TOL);
      }
    }
    console.log(Object.entries(diffs).map(([k, v]) => `${NAME} ${k}: ${v.toExponential(2)}`).join('\n'));
  });

  it("the widget's token-by-token decoding = the engine's greedy generate()", async () => {
    const { runner, model } = await setUp();
    for (const source of ['date: July 4, 1976', 'reverse: the Union', 'I ask the Congress to <X0> this law without delay.']) {
      let last = null;
      let steps = 0;
      for await (const s of decodeSteps(runner, source, 60)) {
        steps++;
        expect(s.cross.rows, 'one cross-attention row per decoder input so far').toBe(steps);
        expect(s.cross.cols).toBe(s.srcTokens.length);
        last = s;
      }
      const { bos, eos } = runner.config.tokenizer;
      const out = await model.generate(ids2d(runner.encode(source)), { maxNewTokens: 60, startId: bos, endId: eos });
      const ids = Array.from((await out.data()) as Int32Array).slice(1);
      const written = ids.includes(eos) ? ids.slice(0, ids.indexOf(eos)) : ids;
      expect(last!.outTokens.join(''), source).toBe(written.map((i) => runner.tokenizer.idToToken(i)).join(''));
    }
  });
});
