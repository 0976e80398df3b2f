// What the self-attention chapter's prose states, checked against its cells (the session) and,
// for the "server" paragraphs, against the shipped bert-sotu run on onnxruntime.
import { expect } from 'vitest';
import type { Session } from '../../../src/runtime/execute.ts';
import type { BertRunner } from '../../../src/runtime/models/bert.ts';
import { hasModel, loadFromDisk } from '../../models/helpers.ts';

/** The keys a BERT head's row for token `token` weighs most, largest first. */
async function topKeys(runner: BertRunner, sentence: string, token: string, layer: number, head: number, k: number): Promise<string[]> {
  const { tokens, attention: a } = await runner.forward(sentence);
  const i = tokens.lastIndexOf(token);
  expect(i, `"${token}" in ${JSON.stringify(tokens)}`).toBeGreaterThanOrEqual(0);
  const T = tokens.length;
  const row = Array.from({ length: T }, (_, j) => a.data[((layer * a.heads + head) * T + i) * T + j]!);
  return row.map((w, j) => [w, j] as const).sort((x, y) => y[0] - x[0]).slice(0, k).map(([, j]) => tokens[j]!);
}

/** For how many tokens does the head's largest weight sit at offset `offset` (−1 previous, 0 self, +1 next)? */
async function offsetShare(runner: BertRunner, sentence: string, layer: number, head: number, offset: number): Promise<number> {
  const { tokens, attention: a } = await runner.forward(sentence);
  const T = tokens.length;
  let hits = 0, n = 0;
  for (let i = 1; i < T - 1; i++) { // the words, not [CLS]/[SEP]
    const row = Array.from({ length: T }, (_, j) => a.data[((layer * a.heads + head) * T + i) * T + j]!);
    n++;
    if (row.indexOf(Math.max(...row)) === i + offset) hits++;
  }
  return hits / n;
}

export default async function (session: Session) {
  // "Each row of `weights` sums to 1, as the last line checks"
  for (const s of session.get('thinkingRowSums') as number[]) expect(s).toBeCloseTo(1, 6);

  // "The differences are at the level of float32 rounding"; "4d² + 4d"
  expect(session.get('mhaOutputDiff') as number).toBeLessThan(1e-5);
  expect(session.get('mhaWeightsDiff') as number).toBeLessThan(1e-6);
  expect((session.get('mha') as { numParameters(): number }).numParameters()).toBe(4 * 8 * 8 + 4 * 8);

  // "the weight on the future is exactly zero"
  expect(session.get('weightOnFuture')).toBe(0);

  // "its loss drops towards zero, far below the honest model's, which levels off around 2 nats"
  const loss = session.get('finalLoss') as { causal: number; peeking: number };
  expect(loss.peeking).toBeLessThan(0.3);
  expect(loss.causal).toBeGreaterThan(1.8);
  expect(loss.causal).toBeLessThan(2.6);
  // the quiz: "the chapter's tiny model puts about 99 % of its attention there"
  expect(session.get('peekShare') as number).toBeGreaterThan(0.95);

  // "The weight matrix takes exactly 4T² bytes in float32 — 16 MiB at T = 2048"
  const rows = session.get('costRows') as { T: number; weightBytes: number }[];
  for (const r of rows) expect(r.weightBytes, `T = ${r.T}`).toBe(4 * r.T * r.T);
  expect(rows.find((r) => r.T === 2048)!.weightBytes).toBe(16 * 2 ** 20);

  if (!hasModel('bert-sotu')) return;
  const runner = (await loadFromDisk('bert-sotu')).runner as BertRunner;
  const first = 'Server, can I have the check?';
  const second = 'Looks like I just crashed the server.';
  // "it reads ` ser` + `ver`, and the capitalised Server as ` S` + `er` + `ver`"
  expect((await runner.forward(first)).tokens.slice(1, 4)).toEqual([' S', 'er', 'ver']);
  expect((await runner.forward(second)).tokens).toContain(' ser');
  // "In the first sentence that row puts its largest weights on ` have` and on ` ch` ...; in the second, on ` cr`"
  expect(new Set(await topKeys(runner, first, 'ver', 3, 3, 2))).toEqual(new Set([' have', ' ch']));
  expect((await topKeys(runner, second, 'ver', 3, 3, 1))[0]).toBe(' cr');
  // "in layer 1, head 2, 3 and 4 ... one head looks at the next token, one at the previous token, one at the token itself"
  for (const s of [first, second]) {
    expect(await offsetShare(runner, s, 0, 1, +1), `layer 1 head 2, next token: ${s}`).toBeGreaterThanOrEqual(0.75);
    expect(await offsetShare(runner, s, 0, 2, -1), `layer 1 head 3, previous token: ${s}`).toBeGreaterThanOrEqual(0.75);
    expect(await offsetShare(runner, s, 0, 3, 0), `layer 1 head 4, itself: ${s}`).toBeGreaterThanOrEqual(0.75);
  }
}
