// T5's span corruption on a sentence (Raffel et al. 2020, `random_spans_noise_mask` in the T5
// code base, with its random roll): round(n·0.15) of the n words are dropped, in
// round(noise / 3) spans that alternate with kept spans; each dropped span becomes one sentinel
// <X0>, <X1>, … in the input, and the target lists the spans, each after its sentinel, closed by
// one more sentinel. The same procedure wrote t5-mini's training data (scripts/models/train_t5.py).
import { mulberry32 } from '../seeded-random.ts';

export const NOISE_DENSITY = 0.15;
export const MEAN_SPAN = 3;
export const sentinel = (k: number): string => `<X${k}>`;
const SENTINEL_RE = /(<X\d+>)/;

/** Round half to even, as Python's round() and TensorFlow's tf.round (T5's arithmetic). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** A uniformly random split of `items` into `segments` non-empty lengths. */
function segment(random: () => number, items: number, segments: number): number[] {
  const pool = Array.from({ length: items - 1 }, (_, i) => i + 1);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  const edges = [0, ...pool.slice(0, segments - 1).sort((a, b) => a - b), items];
  return edges.slice(1).map((e, i) => e - edges[i]!);
}

/** Which of n words are dropped (true = noise). Needs n ≥ 2. */
export function noiseMask(n: number, random: () => number, density = NOISE_DENSITY, meanSpan = MEAN_SPAN): boolean[] {
  if (n < 2) return Array.from({ length: n }, () => false);
  const noise = Math.min(Math.max(roundHalfEven(n * density), 1), n - 1);
  const spans = Math.min(Math.max(1, roundHalfEven(noise / meanSpan)), noise, n - noise);
  const noiseLens = segment(random, noise, spans);
  const keepLens = segment(random, n - noise, spans);
  const mask: boolean[] = [];
  for (let s = 0; s < spans; s++) mask.push(...Array<boolean>(keepLens[s]!).fill(false), ...Array<boolean>(noiseLens[s]!).fill(true));
  const roll = Math.floor(random() * n);
  return [...mask.slice(roll), ...mask.slice(0, roll)];
}

export interface Corrupted {
  words: string[];
  mask: boolean[];
  /** The words with each dropped span replaced by its sentinel. */
  input: string;
  /** Each dropped span after its sentinel, then one more sentinel. */
  target: string;
}

export function corrupt(text: string, seed: number): Corrupted {
  const words = text.split(/\s+/).filter(Boolean);
  const mask = noiseMask(words.length, mulberry32(seed));
  const input: string[] = [];
  const target: string[] = [];
  let k = 0;
  words.forEach((w, i) => {
    if (mask[i] && !mask[i - 1]) {
      input.push(sentinel(k));
      target.push(sentinel(k) + w);
      k++;
    } else if (mask[i]) target[target.length - 1] += ` ${w}`;
    else input.push(w);
  });
  return { words, mask, input: input.join(' '), target: target.join('') + sentinel(k) };
}

/** The spans a target (or a model's output) gives for sentinels 0, 1, …: "<X0>a b<X1>c<X2>" → ["a b", "c"]. */
export function spansOf(output: string): string[] {
  const parts = output.split(SENTINEL_RE);
  const spans: string[] = [];
  for (let i = 1; i < parts.length; i += 2) {
    if (parts[i] !== sentinel(spans.length)) break;
    if (i + 1 < parts.length && (parts[i + 1] !== '' || i + 2 < parts.length)) spans.push(parts[i + 1]!.trim());
  }
  return spans;
}

/** Puts the spans back into the input's sentinels; a sentinel without a span stays as it is. */
export function fillSpans(input: string, output: string): string {
  const spans = spansOf(output);
  return input.replace(/<X(\d+)>/g, (s, k: string) => spans[Number(k)] ?? s);
}

export function hasSentinel(text: string): boolean {
  return SENTINEL_RE.test(text);
}
