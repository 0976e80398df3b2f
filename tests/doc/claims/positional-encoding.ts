// The numbers and claims the positional-encoding chapter's prose states, checked against what its cells computed.
import { expect } from 'vitest';
import type { Session } from '../../../src/runtime/execute.ts';

export default async function (session: Session) {
  const get = <T>(name: string) => session.get(name) as T;

  // "Both differences are zero (at most float32 rounding): the outputs are the same vectors, moved."
  expect(get<number>('equivarianceError')).toBeLessThan(1e-5);
  // "…the attention outputs of the two sentences are no longer a reordering of each other"
  expect(get<number>('dogDifference')).toBeGreaterThan(0.05);

  // "Both errors are float32 rounding" (PE[pos] M_k = PE[pos+k] for every position)
  for (const error of Object.values(get<Record<number, number>>('rotationErrors'))) expect(error).toBeLessThan(1e-4);
  // "…constant along every diagonal" (PE·PEᵀ) and the same for RoPE scores
  expect(get<number>('peSpread')).toBeLessThan(1e-4);
  expect(get<number>('ropeSpread')).toBeLessThan(1e-4);
  // "every position vector has norm √(d/2)"
  expect(get<number>('peNorm')).toBeCloseTo(Math.sqrt(32), 4);

  // The experiment: "At the training length, every model with positions solves the task and the one without does not"
  const accuracy = get<Record<string, Record<number, number>>>('accuracy');
  for (const s of ['sinusoidal', 'learned', 'rotary']) expect(accuracy[s]![16]).toBeGreaterThan(0.99);
  // "…the one without … about a quarter at length 16, and worse on longer sequences"
  expect(accuracy.none![16]).toBeGreaterThan(0.15);
  expect(accuracy.none![16]).toBeLessThan(0.35);
  expect(accuracy.none![64]).toBeLessThan(accuracy.none![16]!);
  // "Rotary … keeps its accuracy at every length."
  expect(accuracy.rotary![32]).toBeGreaterThan(0.99);
  expect(accuracy.rotary![64]).toBeGreaterThan(0.99);

  const byPosition = get<Record<string, number[]>>('accuracyByPosition');
  const beyond = get<Record<string, number>>('beyondTraining');
  // "Learned positions are perfect up to position 15 and fall to chance right after"
  const learned = byPosition.learned!;
  learned.slice(0, 15).forEach((a) => expect(a).toBeGreaterThan(0.97));   // positions 1 … 15
  expect(beyond.learned).toBeLessThan(0.2);
  // "Sinusoidal … Past position 16 accuracy is mostly poor, with islands of success … Even some positions inside the training range slip"
  const sin = byPosition.sinusoidal!;
  expect(beyond.sinusoidal).toBeGreaterThan(beyond.learned! + 0.1);
  expect(beyond.sinusoidal).toBeLessThan(0.5);
  expect(Math.max(...sin.slice(16))).toBeGreaterThan(0.9);
  expect(Math.min(...sin.slice(0, 15))).toBeLessThan(0.9);
  // "Rotary … keeps its accuracy at every length."
  expect(beyond.rotary).toBeGreaterThan(0.99);

  // "Rows 0 to 15 moved; rows 16 to 63 did not move at all."
  const moved = get<number[]>('rowsMoved');
  moved.slice(0, 16).forEach((m) => expect(m).toBeGreaterThan(0.05));
  moved.slice(16).forEach((m) => expect(m).toBe(0));
}
