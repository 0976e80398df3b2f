// What the distillation chapter's prose states, checked against its cells (the session).
import { expect } from 'vitest';
import type { Session } from '../../../src/runtime/execute.ts';

type Quality = Record<string, { loss: number; acc: number }>;

export default async function (session: Session) {
  // "At T = 1 the 2 takes 98.1 %; at T = 4 it keeps 42.9 %, and the 3 (13.9 %) and the 7 (12.3 %)"
  // (and the opening: "2" 98 %, "3" 1 %, "7" 0.7 %)
  const two = session.get('twoAt') as Record<number, number[]>;
  expect(two[1]![2]!).toBeCloseTo(0.981, 3);
  expect(two[1]![3]!).toBeCloseTo(0.011, 3);
  expect(two[1]![7]!).toBeCloseTo(0.007, 3);
  expect(two[4]![2]!).toBeCloseTo(0.429, 3);
  expect(two[4]![3]!).toBeCloseTo(0.139, 3);
  expect(two[4]![7]!).toBeCloseTo(0.123, 3);
  for (const c of [0, 1, 4, 5, 6, 8, 9]) expect(two[4]![c]!).toBeLessThan(two[4]![7]!);

  // "' States' has 93.9 % at T = 1 but only 13.9 % at T = 2 ... At T = 4 the distribution is nearly uniform."
  const dark = session.get('dark') as Record<string, { T: number; top: number; wrong: number; over1: number }[]>;
  const united = dark['The United']!;
  expect(united[0]!.top).toBeCloseTo(0.939, 3);
  expect(united[1]!.top).toBeCloseTo(0.139, 3);
  expect(united[2]!.top).toBeLessThan(0.011);

  // "The gradient falls by about 16× from T = 8 to T = 32 ... T² times it settles at the predicted limit"
  const g = session.get('gradNorm') as number[]; // T = 1, 2, 4, 8, 16, 32
  const fall = g[3]! / g[5]!;
  expect(fall).toBeGreaterThan(14);
  expect(fall).toBeLessThan(18);
  const limit = session.get('highTLimit') as number;
  expect(Math.abs(g[5]! * 32 * 32 - limit) / limit).toBeLessThan(0.03);

  // The toy run: teacher 1,317 parameters; "hard-label students stop near 62 %"; "distilled students
  // of 16 and 32 units come within a point or two of the teacher's accuracy ... about 5 points above
  // their hard-label twins";
  // "2 hidden units: T = 1 only ties the hard labels, T = 4 clearly worse".
  expect(session.get('teacherParams')).toBe(1317);
  const teacherAcc = session.get('teacherAcc') as number;
  const r = session.get('results') as Record<string, number[]>; // widths 2, 4, 8, 16, 32
  const hard = r['hard labels']!;
  expect(Math.max(...hard)).toBeLessThan(0.64);
  expect(Math.max(...hard)).toBeGreaterThan(0.6);
  for (const name of ['distilled, T = 1', 'distilled, T = 4']) {
    for (const i of [3, 4]) {
      const gain = r[name]![i]! - hard[i]!;
      expect(gain, `${name}, width index ${i}`).toBeGreaterThan(0.04);
      expect(gain, `${name}, width index ${i}`).toBeLessThan(0.07);
      expect(Math.abs(r[name]![i]! - teacherAcc), `${name} vs teacher`).toBeLessThan(0.02);
    }
  }
  expect(Math.abs(r['distilled, T = 1']![0]! - hard[0]!)).toBeLessThan(0.01);
  expect(hard[0]! - r['distilled, T = 4']![0]!).toBeGreaterThan(0.05);

  // The shipped GPTs against their card: "the teacher's loss is within 0.05 nats of its card and the
  // student's equal to it to two decimals"; "about 0.8 nats worse (perplexity about 210 against about 94)".
  const q = session.get('quality') as Quality;
  expect(Math.abs(q['gpt-sotu']!.loss - 4.514)).toBeLessThan(0.05);
  expect(q['gpt-sotu-student']!.loss.toFixed(2)).toBe((5.349).toFixed(2));
  const gap = q['gpt-sotu-student']!.loss - q['gpt-sotu']!.loss;
  expect(gap).toBeGreaterThan(0.75);
  expect(gap).toBeLessThan(0.85);
  expect(Math.abs(Math.exp(q['gpt-sotu-student']!.loss) - 210)).toBeLessThan(5);
  expect(Math.abs(Math.exp(q['gpt-sotu']!.loss) - 94)).toBeLessThan(2);

  // "Weights that took 4.29 MB take 1.12 MB, and the held-out loss moves by less than 0.01 nats"
  expect((session.get('int8Bytes') as number) / 1e6).toBeCloseTo(1.12, 2);
  expect(Math.abs(q['gpt-sotu int8']!.loss - q['gpt-sotu']!.loss)).toBeLessThan(0.01);
  // "Half of every matrix set to zero, with no retraining, costs about 0.14 nats per token"
  expect(q['gpt-sotu 50 % pruned']!.loss - q['gpt-sotu']!.loss).toBeCloseTo(0.14, 1);
  // (Speeds are printed, never asserted: tests do not assert timings.)
}
