// What the BERT chapter's prose states, checked against its cells (the session).
import { expect } from 'vitest';
import type { Session } from '../../../src/runtime/execute.ts';

type Accuracy = { accuracy: number };
const pct = (x: number) => (100 * x).toFixed(1);

export default async function (session: Session) {
  // "about two fifths of all attention goes to the right of the reading token"
  const right = session.get('rightShare') as number;
  expect(right).toBeGreaterThan(0.35);
  expect(right).toBeLessThan(0.45);

  // " Secretary" 0.10 against 0.002 from the left side alone; " recommend" 0.18 against 0.02.
  const rc = session.get('rightContext') as Record<string, { both: number; left: number }>;
  expect(rc.Secretary!.both.toFixed(2)).toBe('0.10');
  expect(rc.Secretary!.left.toFixed(3)).toBe('0.002');
  expect(rc.recommend!.both.toFixed(2)).toBe('0.18');
  expect(rc.recommend!.left.toFixed(2)).toBe('0.02');

  // The masking recipe: 15 % chosen; of those 80 / 10 / 10.
  const shares = session.get('shares') as Record<string, number>;
  expect(Math.abs(shares.chosen! - 0.15)).toBeLessThan(0.005);
  expect(Math.abs(shares.mask! - 0.8)).toBeLessThan(0.01);
  expect(Math.abs(shares.random! - 0.1)).toBeLessThan(0.01);
  expect(Math.abs(shares.same! - 0.1)).toBeLessThan(0.01);

  // Recovery on 32 held-out sentences: 8 behind [MASK], 6 behind a random token, 23 when shown.
  const rec = session.get('recovered') as Record<string, number>;
  expect(rec['[MASK]']! * 32).toBeCloseTo(8, 6);
  expect(rec['a random token']! * 32).toBeCloseTo(6, 6);
  expect(rec['the true token']! * 32).toBeCloseTo(23, 6);

  // Padding: identical with the mask (float32 rounding), whole logits apart without it.
  const pad = session.get('padDiff') as { withMask: number; withoutMask: number };
  expect(pad.withMask).toBeLessThan(1e-5);
  expect(pad.withoutMask).toBeGreaterThan(1);

  // The [CLS]-only top layer equals the layer's own output.
  const pre = session.get('pretrained') as Accuracy & { clsCheck: number };
  expect(pre.clsCheck).toBeLessThan(1e-5);

  // Fine-tuning: 66.8 % pretrained, 58.5 % from scratch, 65.5 % bag of words, on 400 test sentences;
  // "about 8 points" bought by pretraining; bag of words "about one point apart: a tie".
  const scratch = session.get('scratch') as Accuracy;
  const bow = session.get('bagOfWords') as Accuracy;
  expect((session.get('test') as unknown[]).length).toBe(400);
  expect(pct(pre.accuracy)).toBe('66.8');
  expect(pct(scratch.accuracy)).toBe('58.5');
  expect(pct(bow.accuracy)).toBe('65.5');
  expect(Math.round(100 * (pre.accuracy - scratch.accuracy))).toBe(8);
  expect(Math.abs(pre.accuracy - bow.accuracy)).toBeLessThan(0.024);
}
