// viewers.attention / viewers.nextToken in a cell: what the page's viewers receive for a model the
// reader built (every layer and head, named after the model's own modules), for a shipped model
// with its tokenizer, and the messages a reader gets when the model cannot be viewed.
import { describe, expect, test } from 'vitest';
import { runCell, type Session } from '../../src/runtime/execute.ts';
import { captureConsole } from '../../src/runtime/output.ts';
import type { ModelView } from '../../src/runtime/protocol.ts';
import { readShippedFromDisk } from '../../src/runtime/read-shipped-node.ts';
import { boundView } from '../../src/runtime/bound-output.ts';

async function run(code: string, session: Session = new Map()) {
  const views: ModelView[] = [];
  const out = captureConsole(() => {}, { limit: 100 });
  const result = await runCell(code, {
    cellId: 'c',
    session,
    console: out.console,
    host: { plot: () => {}, progress: () => {}, readShipped: readShippedFromDisk, view: (v) => out.inOrder(v, (x) => views.push(boundView(x))) },
  });
  await out.flush();
  return { result, views, session };
}

const OWN_MODEL = `
  import { nn, manualSeed, tensor, viewers, Tensor } from 'attention-lab';
  manualSeed(3);
  class Tiny extends nn.Module {
    tok = this.registerModule('tok', new nn.Embedding(12, 8));
    blocks = this.registerModule('blocks', new nn.ModuleList([0, 1, 2].map(() => new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true }))));
    head = this.registerModule('head', new nn.Linear(8, 12));
    forward(ids: Tensor): Tensor {
      let x = this.tok.forward(ids);
      for (const b of this.blocks) x = b.forward(x);
      return this.head.forward(x);
    }
  }
  export const model = new Tiny();   // left in train mode on purpose
`;

describe('viewers in a cell', () => {
  test('the attention viewer gets every layer and head of a model the reader built', async () => {
    const { result, views, session } = await run(`${OWN_MODEL}
      await viewers.attention(model, [1, 2, 3, 4], { tokens: ['a', 'b', 'c', 'd'] });
      export const stillTraining = model.training && model.blocks.at(0).training;
    `);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(views).toHaveLength(1);
    const v = views[0]!;
    if (v.view !== 'attention') throw new Error('expected an attention view');
    expect(v.groups).toHaveLength(1);
    const g = v.groups[0]!;
    expect(g.kind).toBe('blocks.*.self_attn: self-attention');
    expect(g.maps).toMatchObject({ layers: 3, heads: 2, rows: 4, cols: 4 });
    expect(g.rows).toEqual(['a', 'b', 'c', 'd']);
    for (let r = 0; r < 3 * 2 * 4; r++) {
      const row = g.maps.data.slice(r * 4, r * 4 + 4);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    expect(session.get('stillTraining')).toBe(true);
  });

  test("the next-token view gets the shipped GPT's distribution, labelled by its tokenizer", async () => {
    const { result, views } = await run(`
      import { models, viewers } from 'attention-lab';
      const { model, tokenizer } = await models.load('gpt-sotu-student');
      await viewers.nextToken(model, ' The Congress of the United', { tokenizer });
      await viewers.attention(model, ' The Congress of the United', { tokenizer });
    `);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const [next, attention] = views;
    if (next?.view !== 'next-token' || attention?.view !== 'attention') throw new Error('expected a next-token and an attention view');
    expect(next.tokens).toHaveLength(2048);
    expect(next.tokens[0]).toBe(' States');
    expect(next.context.join('')).toBe(' The Congress of the United');
    expect(attention.groups[0]!.maps).toMatchObject({ layers: 2, heads: 2 });
    expect(attention.groups[0]!.rows.join('')).toBe(' The Congress of the United');
  });

  test.each([
    ['attention written by hand', `import { viewers, tensor } from 'attention-lab'; await viewers.attention((x) => x.softmax(-1), tensor([[1, 2, 3]]));`, 'computed no attention'],
    ['something that is not a model', `import { viewers } from 'attention-lab'; await viewers.attention(42 as never, [1, 2]);`, 'pass a model with a forward(input) method'],
    ['text without a tokenizer', `import { viewers } from 'attention-lab'; await viewers.nextToken((x) => x, 'hello');`, 'needs { tokenizer }'],
    ['a model whose output is not logits', `import { viewers } from 'attention-lab'; await viewers.nextToken(() => 'nope', [1]);`, 'not logits'],
  ])('%s gets a clear message', async (_what, code, message) => {
    const { result } = await run(code);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain(message);
  });

  test('a long input is cut to the last 64 positions, with a note', async () => {
    const { result, views } = await run(`${OWN_MODEL}
      await viewers.attention(model, Array.from({ length: 100 }, (_, i) => i % 12));
    `);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const v = views[0]!;
    if (v.view !== 'attention') throw new Error('expected an attention view');
    expect(v.groups[0]!.maps).toMatchObject({ rows: 64, cols: 64 });
    expect(v.groups[0]!.rows).toEqual(Array.from({ length: 64 }, (_, i) => String((i + 36) % 12)));
    expect(v.note).toContain('last 64 positions');
  });
});

describe('boundView', () => {
  test('drops groups whose numbers do not match their shape and cuts long labels', () => {
    const v = boundView({
      view: 'attention',
      title: 't',
      groups: [
        { kind: 'bad', rows: ['a'], cols: ['b'], maps: { layers: 1, heads: 1, rows: 1, cols: 1, data: [1, 2] } },
        { kind: 'ok', rows: ['x'.repeat(100)], cols: ['b'], maps: { layers: 1, heads: 1, rows: 1, cols: 1, data: [Number.NaN] } },
      ],
    });
    if (v.view !== 'attention') throw new Error('expected an attention view');
    expect(v.groups.map((g) => g.kind)).toEqual(['ok']);
    expect(v.groups[0]!.rows[0]!.length).toBeLessThan(80);
    expect(v.groups[0]!.maps.data).toEqual([0]);
  });
});
