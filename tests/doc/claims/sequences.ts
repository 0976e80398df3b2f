// The numbers the sequences chapter's prose states, checked against what its cells computed.
import { expect } from 'vitest';
import type { Session } from '../../../src/runtime/execute.ts';

export default async function (session: Session) {
  const get = <T>(name: string) => session.get(name) as T;

  // "…original order and … fixed permutation reach the same accuracy (within a point) … per-example shuffles is at chance, 50 %"
  const accuracy = get<Record<string, number>>('accuracy');
  expect(accuracy['original order']).toBeGreaterThan(0.9);
  expect(Math.abs(accuracy['original order']! - accuracy['one fixed permutation']!)).toBeLessThan(0.015);
  expect(accuracy['shuffled per example']).toBeGreaterThan(0.44);
  expect(accuracy['shuffled per example']).toBeLessThan(0.56);
  // "the shuffled network drives its training loss almost as low as the others"
  expect(get<Record<string, number>>('finalLoss')['shuffled per example']).toBeLessThan(0.05);

  // Baselines: "'Last value' is barely better than the mean … seasonal naive … cuts the error by about three quarters"
  const base = get<Record<string, number>>('baselineMAE');
  const [mean, last, seasonal] = [base['training mean']!, base['last value (yesterday)']!, base['seasonal naive (a week ago)']!];
  expect(last).toBeLessThan(mean);
  expect(last).toBeGreaterThan(0.9 * mean);
  expect(seasonal / last).toBeGreaterThan(0.2);
  expect(seasonal / last).toBeLessThan(0.32);

  // "its largest weights sit on yesterday, on the day before (a negative one), and on one, two and three weeks ago"
  const w = get<number[]>('lagWeights');
  const top = w.map((v, i) => [Math.abs(v), i + 1] as const).sort((a, b) => b[0] - a[0]).slice(0, 5).map(([, lag]) => lag).sort((a, b) => a - b);
  expect(top).toEqual([1, 2, 7, 14, 21]);
  expect(w[1]).toBeLessThan(0);
  [1, 7, 14, 21].forEach((lag) => expect(w[lag - 1]).toBeGreaterThan(0));
  // "With four weeks of history the AR model beats the seasonal naive forecast on the test years."
  expect(get<number>('arMAE')).toBeLessThan(seasonal);

  // τ sweep: "With τ < 7 … its error stays above twice the seasonal naive one. At τ = 7 the error collapses; beyond that, longer windows help slowly"
  const taus = get<number[]>('TAUS');
  const tauMAE = get<number[]>('tauMAE');
  taus.forEach((tau, i) => tau < 7 && expect(tauMAE[i]).toBeGreaterThan(2 * seasonal));
  const at = (tau: number) => tauMAE[taus.indexOf(tau)]!;
  expect(at(7)).toBeLessThan(0.6 * at(6));
  expect(at(28)).toBeLessThan(at(7));
  // Widget advice: "τ = 14, which does not beat the seasonal naive forecast even one day ahead"
  expect(at(14)).toBeGreaterThan(seasonal);

  // k steps: "Both errors grow with k … its lead over the seasonal naive forecast shrinks to about half by four weeks ahead"
  const h = get<{ ar: number[]; seasonal: number[] }>('horizonMAE');
  expect(h.ar.at(-1)).toBeGreaterThan(h.ar[0]!);
  expect(h.seasonal.at(-1)).toBeGreaterThan(h.seasonal[0]!);
  const lead1 = h.seasonal[0]! - h.ar[0]!;
  const lead28 = h.seasonal.at(-1)! - h.ar.at(-1)!;
  expect(lead1).toBeGreaterThan(0);
  expect(lead28 / lead1).toBeGreaterThan(0.3);
  expect(lead28 / lead1).toBeLessThan(0.7);
  // "… τ = 28, which does at every horizon"
  h.ar.forEach((e, k) => expect(e, `AR(28) at k = ${k + 1}`).toBeLessThan(h.seasonal[k]!));

  // Zipf: "close to a straight line of slope −1 (the cell fits it)"
  expect(get<number>('zipfSlope')).toBeGreaterThan(-1.2);
  expect(get<number>('zipfSlope')).toBeLessThan(-0.8);
  // Zipf: "about half the distinct words are seen only once"
  expect(get<number>('singletons') / get<number>('distinct')).toBeGreaterThan(0.4);
  expect(get<number>('singletons') / get<number>('distinct')).toBeLessThan(0.6);

  // n-grams: "'united' is followed by 'states' almost every time … after 'said' only a comma or 'he' … 'at once ,' has never been seen"
  const nextAfter = get<(context: string) => Array<[string, number]>>('nextAfter');
  expect(nextAfter('united')[0]![0]).toBe('states');
  expect(nextAfter('united')[0]![1]).toBeGreaterThan(0.9);
  expect(nextAfter('said').map(([word]) => word).sort()).toEqual([',', 'he']);
  expect(nextAfter('at once ,')).toEqual([]);

  // Perplexity: "a model that spreads its probability evenly over V tokens has perplexity exactly V";
  // "Every step from uniform to unigram to bigram cuts the held-out perplexity"; the trigram's training
  // perplexity is tiny while its held-out one is worse than the bigram's; "about 40,000 training tokens";
  // "about half the bigrams of the held-out text never occur in training".
  const ppl = get<Record<string, { train: number; heldOut: number }>>('ppl');
  expect(ppl.uniform!.heldOut).toBeCloseTo(get<string[]>('vocab').length, 3);
  expect(ppl.unigram!.heldOut).toBeLessThan(ppl.uniform!.heldOut);
  expect(ppl.bigram!.heldOut).toBeLessThan(ppl.unigram!.heldOut);
  expect(ppl.trigram!.train).toBeLessThan(10);
  expect(ppl.trigram!.heldOut).toBeGreaterThan(ppl.bigram!.heldOut);
  expect(get<string[]>('trainTokens').length).toBeGreaterThan(35_000);
  expect(get<string[]>('trainTokens').length).toBeLessThan(45_000);
  // "most trigrams occur once"
  const tri = get<Map<string, number>>('tri');
  expect([...tri.values()].filter((c) => c === 1).length / tri.size).toBeGreaterThan(0.5);
  expect(get<number>('unseenBigramShare')).toBeGreaterThan(0.4);
  expect(get<number>('unseenBigramShare')).toBeLessThan(0.6);
}
