// The numbers the RNN chapter's prose states, checked against what its cells computed.
import { expect } from 'vitest';
import type { Session } from '../../../src/runtime/execute.ts';

type Run = { losses: number[]; norms: number[] };

export default async function (session: Session) {
  // "checks it against nn.RNN": equal up to float32 rounding.
  expect(session.get('byHandDiff') as number).toBeLessThan(1e-6);

  // "passes the unigram and bigram models within 200 steps, and the trigram" (held-out perplexity).
  const baselines = session.get('baselines') as { unigram: number; bigram: number; trigram: number };
  const heldOut = session.get('heldOut') as { step: number; perplexity: number }[];
  const V = session.get('V') as number;
  expect(heldOut[0]!.perplexity).toBeGreaterThan(0.5 * V);        // "close to uniform, near V"
  expect(baselines.unigram).toBeGreaterThan(baselines.bigram);
  expect(baselines.bigram).toBeGreaterThan(baselines.trigram);
  const final = session.get('finalPerplexity') as number;
  expect(final).toBeLessThan(baselines.trigram);
  expect(heldOut.find((p) => p.step === 100)!.perplexity).toBeLessThan(baselines.bigram);  // "within 100 steps it passes the bigram"

  // Vanishing and exploding, 49 steps back: "below 1 % at ρ = 0.9, more than ten times larger at
  // ρ = 1.1, and below 10⁻⁶ for every tanh curve".
  const curves = session.get('curves') as Record<string, number[]>;
  expect(curves['linear, ρ = 0.9']![0]!).toBeLessThan(0.01);
  expect(curves['linear, ρ = 1.1']![0]!).toBeGreaterThan(10);
  for (const rho of [0.9, 1, 1.1]) expect(curves[`tanh, ρ = ${rho}`]![0]!).toBeLessThan(1e-6);

  // Clipping: "the gradient norm reaches beyond 10⁵ and the loss ends far above where it started;
  // the clipped run learns the task (loss below 0.3)".
  const unclipped = session.get('unclipped') as Run;
  const clipped = session.get('clipped') as Run;
  expect(Math.max(...unclipped.norms.filter(Number.isFinite))).toBeGreaterThan(1e5);
  const lastUnclipped = unclipped.losses.at(-1)!;
  expect(!Number.isFinite(lastUnclipped) || lastUnclipped > 10 * unclipped.losses[0]!).toBe(true);
  expect(clipped.losses.at(-1)!).toBeLessThan(0.3);

  // Truncation: "reaches the 10 inputs of its own chunk"; "k ≤ 4 stays near 1, k = 8 and 16 learn it";
  // "memory grows in proportion to k".
  expect(session.get('reachedInputs')).toBe(10);
  const runs = session.get('truncation') as { k: number; loss: number; kib: number }[];
  const byK = Object.fromEntries(runs.map((r) => [r.k, r]));
  for (const k of [2, 4]) expect(byK[k]!.loss).toBeGreaterThan(0.6);
  for (const k of [8, 16]) expect(byK[k]!.loss).toBeLessThan(0.05);
  expect(byK[16]!.kib / byK[2]!.kib).toBeGreaterThan(5);

  // Bidirectional: output[T−1]'s forward half and output[0]'s backward half are the final states; output[T−1]'s backward half is not.
  const bi = session.get('bidirectionalChecks') as Record<string, number>;
  expect(bi.forwardLast).toBeLessThan(1e-6);
  expect(bi.backwardFirst).toBeLessThan(1e-6);
  expect(bi.backwardLast).toBeGreaterThan(0.01);

  // Padding: "the padded final state differs; the gathered output and the masked state equal it".
  const gaps = session.get('paddingGaps') as Record<string, number>;
  expect(gaps.finalState).toBeGreaterThan(0.01);
  expect(gaps.gathered).toBeLessThan(1e-6);
  expect(gaps.masked).toBeLessThan(1e-6);
}
