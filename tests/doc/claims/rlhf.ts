// What the RLHF chapter's prose states, checked against its cells (the session), with the built-in
// labeller deciding every pair (MY_LABELS left empty) and the cells' fixed seeds.
import { expect } from 'vitest';
import type { Session } from '../../../src/runtime/execute.ts';

interface Measured {
  reward: number;
  kl: number;
  labeller: number;
  distinct: number;
}

export default async function (session: Session) {
  // 256 pairs; the widget's built-in verdicts (from the data file) are the cell's labeller's.
  const data = session.get('data') as { pairs: { builtin: string }[] };
  expect(data.pairs.length).toBe(256);
  expect(session.get('builtin')).toEqual(data.pairs.map((p) => p.builtin));
  expect(session.get('yours')).toBe(0);

  // "only the output layer (262,144 numbers, a quarter of the model)"
  const W = session.get('W_REF') as { shape: number[] };
  expect(W.shape[0]! * W.shape[1]!).toBe(262144);
  expect(262144 / 1071872).toBeGreaterThan(0.24);
  expect(262144 / 1071872).toBeLessThan(0.26);

  // Reward model: "starts at ln 2 ≈ 0.69 … falls quickly"; "roughly three in four" held-out pairs.
  const rmLoss = session.get('rmLoss') as { first: number; last: number };
  expect(Math.abs(rmLoss.first - Math.log(2))).toBeLessThan(0.05);
  expect(rmLoss.last).toBeLessThan(rmLoss.first / 2);
  const rmAccuracy = session.get('rmAccuracy') as number;
  expect(rmAccuracy).toBeGreaterThan(0.7);
  expect(rmAccuracy).toBeLessThan(0.82);

  // The reference: reward near 0, KL 0, labeller about −1.6, about 94 % distinct tokens.
  const before = session.get('before') as Measured;
  expect(Math.abs(before.reward)).toBeLessThan(0.2);
  expect(before.kl).toBeLessThan(1e-3);
  expect(before.labeller).toBeGreaterThan(-1.7);
  expect(before.labeller).toBeLessThan(-1.5);
  expect(before.distinct).toBeGreaterThan(0.92);
  expect(before.distinct).toBeLessThan(0.96);

  // β = 2: the reward climbs, the KL stays at a few nats, the labeller's score improves, as many
  // distinct tokens as before. (Sixteen steps of eight samples are a noisy run: the reward it
  // ends at moved from 0.24 to 0.48 with the last bits of the CPU tier's arithmetic, so the claims
  // are the ones that held on every tier.)
  const after = session.get('after') as Measured;
  expect(after.reward).toBeGreaterThan(before.reward + 0.15);
  expect(after.kl).toBeLessThan(6);
  expect(after.labeller).toBeGreaterThan(before.labeller);
  expect(after.distinct).toBeGreaterThan(before.distinct - 0.01);

  // β = 0: reward more than two standard deviations above the reference, several times β = 2's; KL about
  // 25 nats; the labeller's score below the reference's; fewer distinct tokens.
  const hack = session.get('afterHack') as Measured;
  expect(hack.reward).toBeGreaterThan(2);
  expect(hack.reward / after.reward).toBeGreaterThan(4); // "several times" (5.4 and 10.7 on the tiers)
  expect(hack.kl).toBeGreaterThan(20);
  expect(hack.kl).toBeLessThan(30);
  expect(hack.labeller).toBeLessThan(before.labeller);
  expect(hack.distinct).toBeLessThan(before.distinct - 0.1);

  // DPO: reward above the RL policy's, KL a few nats, the labeller's score improves; the implicit
  // reward orders about two thirds of the held-out pairs, fewer than the reward model.
  const dpo = session.get('afterDpo') as Measured;
  expect(dpo.reward).toBeGreaterThan(after.reward);
  expect(dpo.kl).toBeLessThan(6);
  expect(dpo.labeller).toBeGreaterThan(before.labeller);
  const dpoAccuracy = session.get('dpoAccuracy') as number;
  expect(dpoAccuracy).toBeGreaterThan(0.6);
  expect(dpoAccuracy).toBeLessThan(0.75);
  expect(dpoAccuracy).toBeLessThan(rmAccuracy);
}
