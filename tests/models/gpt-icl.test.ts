// gpt-icl, the GPT chapter's in-context-learning model: the engine loaded from its ONNX file gives
// onnxruntime's logits and attention (≤ 1e-4), and the model really reads its prompt — shown the
// asked letter's example, it copies the digit; shown nothing, it cannot know it.
import { describe, expect, it } from 'vitest';
import * as T from '../../src/engine/index.ts';
import { loadEngineWeights } from '../../src/runtime/models/engine-weights.ts';
import { readOnnxInitializers } from '../../src/runtime/models/onnx-weights.ts';
import type { GptRunner } from '../../src/runtime/models/gpt.ts';
import { int64, run } from '../../src/runtime/models/session.ts';
import { buildPrompt, exampleOrder, heldOutCode, KEYS, VALUES } from '../../src/components/widgets/gpt/few-shot.ts';
import { hasModel, loadFromDisk, maxAbsDiff, nodeOrt } from './helpers.ts';

describe.runIf(hasModel('gpt-icl'))('gpt-icl', () => {
  it('engine GPT = onnxruntime (logits and every attention map)', async () => {
    const loaded = await loadFromDisk('gpt-icl');
    const runner = loaded.runner as GptRunner;
    const c = runner.config.config;
    const model = new T.GPT({ vocabSize: c.vocabSize, blockSize: c.blockSize, nLayer: c.nLayer, nHead: c.nHead, nEmbd: c.nEmbd });
    loadEngineWeights(model, readOnnxInitializers(loaded.onnx));
    model.eval();
    const ids = runner.encode('c5,a3,f0,h7,b1,c');
    const out = await run(loaded.session, { input_ids: int64(nodeOrt, ids, [1, ids.length]) });
    const mine = T.noGrad(() => model.forward(T.tensor(Int32Array.from(ids), { shape: [1, ids.length], dtype: 'int32' }), { returnAttention: true }));
    expect(maxAbsDiff(await mine.logits.data(), out.logits!.data as Float32Array)).toBeLessThan(1e-4);
    const att = await Promise.all(mine.attention.map((a) => a.data()));
    const flat = new Float32Array(att.reduce((n, a) => n + a.length, 0));
    let o = 0;
    for (const a of att) { flat.set(a as Float32Array, o); o += a.length; }
    expect(maxAbsDiff(flat, out.attention!.data as Float32Array)).toBeLessThan(1e-4);
  });

  it('copies the digit of the asked letter from its example, on codes it never saw in training', async () => {
    const runner = (await loadFromDisk('gpt-icl')).runner as GptRunner;
    let right = 0;
    const n = 40;
    for (let i = 0; i < n; i++) {
      const code = heldOutCode(i);
      const shown = exampleOrder(i).slice(0, 5);
      const query = shown[i % 5]!;
      const { logits } = await runner.step(runner.encode(buildPrompt(code, shown, query)));
      const digits = Array.from(VALUES, (v) => logits[runner.encode(v)[0]!]!);
      if (digits.indexOf(Math.max(...digits)) === code[query]) right++;
    }
    expect(right / n).toBeGreaterThan(0.9);
    expect(KEYS).toHaveLength(8);
  });
});
