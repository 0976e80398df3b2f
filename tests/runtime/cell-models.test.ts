// `models.load` in a cell gives the shipped model's trained weights in the engine: its next-token
// logits equal onnxruntime's on the same file (tests/models/parity.test.ts checks the modules;
// this checks what a reader's cell gets), and bad names get a clear message.
import { describe, expect, test } from 'vitest';
import { runCell, type Session } from '../../src/runtime/execute.ts';
import { captureConsole } from '../../src/runtime/output.ts';
import { readShippedFromDisk } from '../../src/runtime/read-shipped-node.ts';
import { int64, run as runOnnx } from '../../src/runtime/models/session.ts';
import { loadFromDisk, maxAbsDiff, nodeOrt } from '../models/helpers.ts';

async function run(code: string, session: Session = new Map()) {
  const lines: string[] = [];
  const out = captureConsole((_level, parts) => lines.push(parts.map((p) => ('text' in p ? p.text : p.preview)).join(' ')), { limit: 1000 });
  const result = await runCell(code, { cellId: 'c', session, console: out.console, host: { plot: () => {}, progress: () => {}, readShipped: readShippedFromDisk } });
  await out.flush();
  return { result, lines, session };
}

describe('models.load in a cell', () => {
  test('the shipped GPT gives the logits onnxruntime gives', async () => {
    const { result, session } = await run(`
      import { models, tensor, noGrad } from 'attention-lab';
      const { model, tokenizer, config } = await models.load('gpt-sotu');
      export const ids = tokenizer.encode(' The Congress shall assemble');
      export const logits = await noGrad(() => model.forward(tensor([ids], { dtype: 'int32' }))).data();
      export const kind = config.kind;
    `);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const ids = session.get('ids') as number[];
    const mine = session.get('logits') as Float32Array;
    const loaded = await loadFromDisk('gpt-sotu');
    const out = await runOnnx(loaded.session, { input_ids: int64(nodeOrt, ids, [1, ids.length]) });
    expect(maxAbsDiff(mine, out.logits!.data as Float32Array)).toBeLessThan(1e-4);
    expect(session.get('kind')).toBe('gpt');
  });

  test('each load is a fresh copy: training one leaves the next untouched', async () => {
    const { result, session } = await run(`
      import { models } from 'attention-lab';
      const a = await models.load('gpt-sotu-student');
      const w = a.model.stateDict()['tok_emb.weight'];
      const before = (await w.data())[0];
      (await w.data()).fill(0);
      const b = await models.load('gpt-sotu-student');
      export const same = (await b.model.stateDict()['tok_emb.weight'].data())[0] === before;
    `);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(session.get('same')).toBe(true);
  });

  test.each([
    ['../secret', 'is not a model name'],
    ['no-such-model', 'ships no model "no-such-model"'],
    ['lstm-births', 'cannot load into the engine'],
  ])('models.load(%j) says why it cannot', async (name, message) => {
    const { result } = await run(`import { models } from 'attention-lab'; await models.load(${JSON.stringify(name)});`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain(message);
  });

  test('models.json reads a JSON file beside a model, and nothing else', async () => {
    const ok = await run(`import { models } from 'attention-lab'; export const s = await models.json('t5-mini', 'scores.json');`);
    expect(ok.result.ok, JSON.stringify(ok.result)).toBe(true);
    expect(ok.session.get('s')).toHaveProperty('heldOut');
    for (const file of ['../gpt-sotu/config.json', 'model.onnx', 'vocab.bpe']) {
      const bad = await run(`import { models } from 'attention-lab'; await models.json('t5-mini', ${JSON.stringify(file)});`);
      expect(bad.result.ok).toBe(false);
    }
  });
});
