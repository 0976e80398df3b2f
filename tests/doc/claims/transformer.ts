// What the Transformer chapter's prose states, checked against its cells (the session).
import { expect } from 'vitest';
import type { Session } from '../../../src/runtime/execute.ts';

export default async function (session: Session) {
  // "The two agree to float32 rounding" (layer norm) and the hand-built blocks equal the engine's.
  expect(session.get('lnMaxDiff')).toBeLessThan(1e-5);
  const block = session.get('blockMaxDiff') as Record<string, number>;
  expect(block.post).toBeLessThan(1e-5);
  expect(block.pre).toBeLessThan(1e-5);

  // "Without residuals ... at block 1 it is exactly zero; with residuals block 1 receives a
  // gradient of the same order as block 24; both normalised variants keep it alive."
  const g = session.get('gradNorms') as Record<string, number[]>;
  expect(g['no residuals']![0]).toBe(0);
  expect(g['no residuals']!.at(-1)).toBeGreaterThan(1e-3);
  for (const k of ['residuals', 'post-norm', 'pre-norm']) {
    const ratio = g[k]![0]! / g[k]!.at(-1)!;
    expect(ratio, k).toBeGreaterThan(0.1);
    expect(ratio, k).toBeLessThan(10);
  }

  // Parameter counts: deck 001's nano-gpt 85,584 (formula and engine modules), GPT-2 small 124 M,
  // GPT-2 XL 1.5 B, GPT-3 175 B; one GPT-2 block = 12d² + 13d.
  const counts = session.get('counts') as Record<string, number>;
  expect(counts['nano-gpt']).toBe(85584);
  expect(session.get('nanoFromModules')).toBe(85584);
  expect(Math.round(counts['GPT-2 small']! / 1e6)).toBe(124);
  expect(Math.round(counts['GPT-2 XL']! / 1e8) / 10).toBe(1.6); // "1.5 B" as published; 1.56 B counted
  expect(Math.round(counts['GPT-3']! / 1e9)).toBe(175);
  expect(session.get('gpt2Block')).toBe(12 * 768 ** 2 + 13 * 768);

  // "In GPT-2 small almost a third of the parameters are the embedding table; in GPT-3 the MLPs
  // hold about two thirds."
  const shares = session.get('shares') as Record<string, Record<string, number>>;
  expect(shares['GPT-2 small']!.embeddings).toBeGreaterThan(0.3);
  expect(shares['GPT-2 small']!.embeddings).toBeLessThan(0.34);
  expect(shares['GPT-3']!.mlp).toBeGreaterThan(0.64);
  expect(shares['GPT-3']!.mlp).toBeLessThan(0.68);

  // Post-norm against pre-norm (6 blocks, lr 0.02, no warm-up): "pre-norm's loss falls to near
  // zero; post-norm never leaves about 2.30, ln 10, the loss of guessing among ten digits". Four
  // seeds on each CPU tier gave post-norm 2.28-2.31 and pre-norm 0.0004-0.05.
  const cmp = session.get('cmpLoss') as Record<string, number>;
  expect(cmp['pre-norm']).toBeLessThan(0.1);
  expect(Math.abs(cmp['post-norm']! - Math.log(10))).toBeLessThan(0.05);

  // The decoder block's cross-attention weights are [B, h, T, S] = [1, 4, 4, 6].
  expect([...(session.get('crossShape') as number[])]).toEqual([1, 4, 4, 6]);

  // The reversal model: loss near zero, (nearly) every held-out sequence right, and one layer whose
  // attention sits mostly on the anti-diagonal.
  expect(session.get('finalLoss')).toBeLessThan(0.05);
  expect(session.get('tokenAccuracy')).toBeGreaterThan(0.99);
  expect(session.get('sequenceAccuracy')).toBeGreaterThan(0.95);
  expect(Math.max(...(session.get('antiDiagonal') as number[]))).toBeGreaterThan(0.5);
}
