// The numbers and comparisons the attention-scoring chapter's prose states, checked against what
// its cells computed (tests/doc/claims/README.md). Bounds, as the prose words them.
import { expect } from 'vitest';
import type { Session } from '../../../src/runtime/execute.ts';

interface Stats { maxWeight: number; entropy: number; grad: number }

export default async function (session: Session) {
  // "Var(q·k) = d": the measured variance follows d.
  const variance = session.get('varianceAt') as Record<number, number>;
  for (const d of [16, 256, 1024]) {
    expect(variance[d]).toBeGreaterThan(0.85 * d);
    expect(variance[d]).toBeLessThan(1.15 * d);
  }

  // "Without scaling, the largest weight climbs toward 1 and the entropy falls toward 0 bits …
  //  the gradient reaching the scores shrinks about tenfold … With the 1/√d factor all three curves are flat."
  const { raw, scaled } = session.get('saturation') as { raw: Stats[]; scaled: Stats[] };
  const [raw1, raw1024] = [raw[0]!, raw.at(-1)!];
  expect(raw1024.maxWeight).toBeGreaterThan(0.9);
  expect(raw1024.entropy).toBeLessThan(0.3);
  expect(raw1.grad / raw1024.grad).toBeGreaterThan(7);
  expect(raw1.grad / raw1024.grad).toBeLessThan(15);
  for (const s of scaled) {
    expect(Math.abs(s.maxWeight - scaled[0]!.maxWeight)).toBeLessThan(0.1);
    expect(Math.abs(s.entropy - scaled[0]!.entropy)).toBeLessThan(0.3);
    expect(s.grad / scaled[0]!.grad).toBeGreaterThan(0.7);
  }

  // "Without the mask the first sentence would put most of its attention on padding, … 'hi' would
  //  put most of its weight on five copies of <pad>."
  const padding = session.get('paddingWeight') as number[];
  expect(padding[0]).toBeGreaterThan(0.5);
  expect(padding[1]).toBe(0);
  expect(padding[2]).toBeGreaterThan(0.5);

  // "Both models do well on short inputs … at 16 digits [the model without attention] gets far fewer
  //  digits right than at 4, and far fewer than the model with attention, which degrades more slowly."
  const plain = session.get('plainAccuracy') as number[];
  const attention = session.get('attentionAccuracy') as number[];
  expect(plain[0]).toBeGreaterThan(0.8);
  expect(attention[0]).toBeGreaterThan(0.8);
  expect(plain.at(-1)!).toBeLessThan(plain[0]! - 0.3);
  expect(attention.at(-1)!).toBeGreaterThan(plain.at(-1)! + 0.1);
  expect(attention[0]! - attention.at(-1)!).toBeLessThan(plain[0]! - plain.at(-1)!);

  // "The weights form an anti-diagonal": far more weight on the mirrored position (or the next one)
  // than the 2/12 that attention spread evenly would put there.
  expect(session.get('mirroredWeight') as number).toBeGreaterThan(0.4);
}
