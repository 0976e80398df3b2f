// The numbers the LSTM and GRU chapter's prose states, checked against what its cells computed.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Session } from '../../../src/runtime/execute.ts';

export default async function (session: Session) {
  // "The difference is at the level of float32 rounding: the hand-written step is nn.LSTM" (and nn.GRU).
  expect(session.get('lstmMaxDiff')).toBeLessThan(1e-5);
  expect(session.get('gruMaxDiff')).toBeLessThan(1e-5);

  // "The RNN's gradient is gone (a factor of about 10^-10 or smaller) within a few dozen steps";
  // the gated cells lose it more slowly; with the forget bias at +3 it survives all 100 steps.
  const g = session.get('gradLog10') as Record<string, number[]>;
  expect(g.RNN![49]! - g.RNN![99]!).toBeLessThan(-10);
  expect(g.LSTM![49]!).toBeGreaterThan(g.RNN![49]!);
  expect(g.GRU![49]!).toBeGreaterThan(g.RNN![49]!);
  expect(Math.min(...g['LSTM, forget bias +3']!)).toBeGreaterThan(-3);

  // "an LSTM is four RNNs' worth of weights and a GRU three"; "9,841 parameters" on the card.
  const p = session.get('paramCounts') as Record<string, number>;
  expect(p.LSTM).toBe(4 * p.RNN!);
  expect(p.GRU).toBe(3 * p.RNN!);
  expect(session.get('forecasterParams')).toBe(9841);

  // "the plain RNN ... its accuracy stays near 50 %"; "The LSTM and the GRU ... recall the name
  // on essentially every new sequence".
  const acc = session.get('recallAccuracy') as Record<string, number>;
  expect(acc.RNN).toBeGreaterThan(0.35);
  expect(acc.RNN).toBeLessThan(0.65);
  expect(acc.LSTM).toBeGreaterThan(0.97);
  expect(acc.GRU).toBeGreaterThan(0.97);

  // "The model card reports ... 438 for that seasonal baseline"; "same weekday last week" is far
  // better than "same as yesterday".
  expect(Math.round(session.get('seasonalNaiveMAE') as number)).toBe(438);
  // "The model card reports the LSTM's one-day-ahead validation MAE as 335 births a day, against
  // 438 ... about a quarter fewer births a day wrong."
  const card = readFileSync(new URL('../../../public/models/lstm-births/model-card.md', import.meta.url), 'utf8');
  expect(card).toMatch(/one-day-ahead MAE: 335 births\/day/);
  expect(card).toMatch(/MAE 438 births\/day/);
  expect(1 - 335 / 438).toBeGreaterThan(0.2);
  expect(1 - 335 / 438).toBeLessThan(0.3);
  expect(session.get('lastValueMAE') as number).toBeGreaterThan(2 * (session.get('seasonalNaiveMAE') as number));
}
