// What the beyond-text chapter's prose states, checked against its cells (the session).
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Session } from '../../../src/runtime/execute.ts';

export default async function (session: Session) {
  // Patch counts: "616,225 attention scores ... cut into 7×7 patches it costs 289"; ViT-Base/16: 197 tokens.
  const counts = session.get('tokenCounts') as Record<string, { tokens: number; scores: number }>;
  expect(counts['28×28 MNIST, pixel by pixel (chapter 1)']!.scores).toBe(616225);
  expect(counts['28×28 MNIST, P = 7']!.scores).toBe(289);
  expect(counts['224×224 photo, P = 16 (ViT-Base/16)']!.tokens).toBe(197);
  expect(784 ** 2).toBeGreaterThan(610000);
  expect(Math.round(50176 ** 2 / 1e8) / 10).toBe(2.5);

  // "a model of under ten thousand parameters ... about nine digits in ten right — 91 %".
  expect(session.get('vitParams')).toBe(9674);
  const acc = session.get('vitAccuracy') as number;
  expect(Math.round(100 * acc)).toBe(91);
  expect((session.get('testAccuracy') as number[])[0]).toBeLessThan(0.2);   // "from guessing (10 %)"

  // "About three quarters of the patches hold some ink, and they get more than nine tenths of
  // [CLS]'s attention to patches; [CLS] keeps almost nothing for itself."
  const inkShare = session.get('inkShare') as number;
  expect(inkShare).toBeGreaterThan(0.7);
  expect(inkShare).toBeLessThan(0.8);
  expect(session.get('attentionOnInk')).toBeGreaterThan(0.9);
  expect(session.get('clsSelf')).toBeLessThan(0.05);

  // "Shuffled patches collapse the accuracy from 91 % to 15 %"; "leaving the position embeddings
  // out hurts almost as much".
  const pos = session.get('positionResults') as Record<string, number>;
  expect(Math.round(100 * pos['patches shuffled per image']!)).toBe(15);
  expect(pos['no position embeddings']).toBeLessThan(0.4);
  expect(pos['no position embeddings']).toBeGreaterThan(pos['patches shuffled per image']!);

  // "with half of them blanked it gets fewer than half of the digits right"
  const hidden = session.get('hiddenAccuracy') as number[];
  expect(hidden[4]).toBeLessThan(0.5);
  for (let i = 1; i < hidden.length; i++) expect(hidden[i]).toBeLessThan(hidden[i - 1]!);

  // The widget's model: "the same architecture trained for 30 epochs ... reaches 95.6 %"
  // (tests/widgets/beyond-text.test.ts recomputes it from the weights).
  const shipped = JSON.parse(readFileSync(new URL('../../../public/models/vit-digits/weights.json', import.meta.url), 'utf8'));
  expect(shipped.testAccuracy).toBe(0.9556);
  expect(shipped.training.epochs).toBe(30);
  expect(shipped.params).toBe(9674);

  // Forecaster: "373 births a day wrong against 438 — though not yet the LSTM's 335".
  expect(Math.round(session.get('transformerMAE') as number)).toBe(373);
  expect(Math.round(session.get('seasonalMAE') as number)).toBe(438);
  expect(session.get('LSTM_MAE')).toBe(335);
  const card = readFileSync(new URL('../../../public/models/lstm-births/model-card.md', import.meta.url), 'utf8');
  expect(card).toMatch(/one-day-ahead MAE: 335 births\/day/);
  expect(card).toMatch(/30\.2 min wall clock/);                      // "took half an hour of training"

  // "at 128 K tokens one head's attention matrix in one layer would take 32 GiB"
  const bytes = session.get('scoreBytes') as Record<number, number>;
  expect(bytes[131072]! / 2 ** 30).toBe(32);
  expect(bytes[8192]! / bytes[1024]!).toBe(64);

  // "GPT-3's training took about 3 × 10^23 operations, tens of trillions of times what the ViT needed"
  const gpt3 = session.get('gpt3Flops') as number;
  expect(Math.round(gpt3 / 1e23)).toBe(3);
  const ratio = gpt3 / (session.get('vitFlops') as number);
  expect(ratio).toBeGreaterThan(1e13);
  expect(ratio).toBeLessThan(1e14);
}
