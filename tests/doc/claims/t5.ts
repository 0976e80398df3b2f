// What the T5 chapter's prose states, checked against its cells (the session).
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Session } from '../../../src/runtime/execute.ts';

const card = JSON.parse(readFileSync(new URL('../../../public/models/t5-mini/config.json', import.meta.url), 'utf8')) as { params: number };

export default async function (session: Session) {
  // "“3.8” is one of 26 possible strings" — the score read back out of the text.
  expect(session.get('stsbScore')).toBe(3.8);

  // "The sentence's 19 words give round(2.85) = 3 dropped words in round(1) = 1 span."
  expect((session.get('SENTENCE') as string).split(' ')).toHaveLength(19);

  // "Exactly 15 % of the words go, in spans of mean length close to 3 ... the encoder's input is
  // about 90 % of the passage and the decoder's target about 21 %."
  expect(session.get('noiseFraction')).toBe(0.15);
  const meanSpan = session.get('meanSpan') as number;
  expect(meanSpan).toBeGreaterThan(2.8);
  expect(meanSpan).toBeLessThan(3.1);
  expect(Math.round(100 * (session.get('inputShare') as number))).toBe(90);
  expect(Math.round(100 * (session.get('targetShare') as number))).toBe(21);

  // "Sorting falls faster at first": over steps 21–60 the sorting loss is lower.
  const curves = session.get('curves') as Record<string, number[]>;
  const early = (k: string) => curves[k]!.slice(20, 60).reduce((a, b) => a + b, 0) / 40;
  expect(early('sort:')).toBeLessThan(early('reverse:'));
  // "Both curves start above ln 15 ≈ 2.7 ... and fall from there."
  for (const k of ['sort:', 'reverse:']) {
    expect(curves[k]![0]!).toBeGreaterThan(Math.log(15));
    expect(curves[k]!.at(-1)!).toBeLessThan(curves[k]![0]! / 4);
  }
  const tiny = session.get('tinyExact') as Record<string, number>;
  expect(tiny['reverse:']).toBeGreaterThan(0.7);
  expect(tiny['sort:']).toBeGreaterThan(0.7);

  // t5-mini's size: 2 + 2 layers, width 96, the parameters of its card.
  expect(session.get('t5Params')).toBe(card.params);
  expect(session.get('t5Params')).toBe(531360);

  // "many spans are a single word, and a few run to six words or more"
  const spanCounts = session.get('spanCounts') as number[];
  expect(spanCounts[0]).toBe(Math.max(...spanCounts));
  expect(spanCounts.slice(5).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

  // "The prefixed tasks ... it solves them"; the fourth input of t5-load, "The state of the <X0> is
  // strong.", comes out with its sentinel and then part of the source backwards.
  const demos = session.get('t5Demos') as Record<string, string>;
  expect(demos['date: 3rd of March 2021']).toBe('2021-03-03');
  expect(demos['reverse: the Union']).toBe('noinU eht');
  expect(demos['The state of the <X0> is strong.']).toMatch(/^<X0>.*seht fo/);

  // "the year's digits read the digits of 2021, the month's the letters of March, the day's the 3 of 3rd"
  const align = (session.get('alignments') as Record<string, string>)['date: 3rd of March 2021']!.split('  ');
  expect(align.slice(0, 4).every((a) => /←[0-9]@(19|20|21|22)$/.test(a)), align.join(' ')).toBe(true);
  expect(align.slice(5, 7).every((a) => /←[Mmarch]@1[3-7]$/.test(a)), align.join(' ')).toBe(true);
  expect(align.slice(8, 10).every((a) => /←3@6$/.test(a)), align.join(' ')).toBe(true);
  // The reversal: an anti-diagonal.
  expect(session.get('mirrorMass')).toBeGreaterThan(0.5);

  // "The engine's numbers are the card's": the same model on the same examples. "all the dates
  // and most reversals"; span filling: "half the target's characters", "fewer than one dropped
  // span in fifty".
  const engine = session.get('engineExact') as Record<string, number>;
  const cardExact = session.get('cardExact') as Record<string, number>;
  for (const task of ['date', 'reverse']) expect(Math.abs(engine[task]! - cardExact[task]!), task).toBeLessThanOrEqual(0.005);
  expect(engine.date).toBe(1);
  expect(engine.reverse).toBeGreaterThan(0.85);
  expect(Math.abs((session.get('engineSpanChars') as number) - (session.get('cardSpanChars') as number))).toBeLessThan(0.005);
  expect(Math.abs((session.get('engineSpanChars') as number) - 0.5)).toBeLessThan(0.03);
  expect(session.get('spanWordsRight')).toBeLessThan(0.02);

  // The three families: bert-sotu and gpt-sotu about a million parameters each, t5-mini half that.
  const fam = session.get('familyParams') as Record<string, number>;
  expect(fam['bert-sotu']).toBe(1082752);
  expect(fam['gpt-sotu']).toBe(1071872);
}
