/**
 * Next-token sampling over one row of logits: temperature, top-k, top-p (nucleus), greedy.
 * Plain arrays in, plain arrays out (Float64Array), so these work on the result of
 * `await logits.data()` and in tests without the tensor engine.
 *
 * Order in `sample`, as in most generation code: divide by temperature, keep the top k,
 * keep the nucleus of mass p, renormalise, draw.
 */

export interface SampleOptions {
  /** 0 = greedy (argmax, no randomness); 1 = the model's distribution (default 1). */
  temperature?: number;
  /** Keep only the k most likely tokens (integer ≥ 1). */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p, 0 < p ≤ 1. */
  topP?: number;
  /** Uniform source in [0, 1); required unless temperature is 0. */
  random?: () => number;
}

function checkLogits(fn: string, logits: ArrayLike<number>): void {
  if (logits.length === 0) throw new Error(`${fn}: logits are empty`);
  let anyFinite = false;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i]!;
    if (Number.isNaN(v)) throw new Error(`${fn}: logits[${i}] is NaN`);
    if (v === Infinity) throw new Error(`${fn}: logits[${i}] is +Infinity`);
    if (v !== -Infinity) anyFinite = true;
  }
  if (!anyFinite) throw new Error(`${fn}: every logit is -Infinity, nothing can be sampled`);
}

/** Index of the largest value; the lowest index wins a tie. */
export function argmax(values: ArrayLike<number>): number {
  if (values.length === 0) throw new Error('argmax: values are empty');
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** Indices ordered by value, largest first; equal values keep index order. */
function orderDescending(values: ArrayLike<number>): number[] {
  return Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[b]! - values[a]! || a - b);
}

/**
 * softmax(logits / temperature), computed stably (max subtracted). -Infinity logits get
 * probability 0. temperature 0 is the limit: all mass on the argmax.
 */
export function softmaxWithTemperature(logits: ArrayLike<number>, temperature = 1): Float64Array {
  checkLogits('softmaxWithTemperature', logits);
  if (!(temperature >= 0) || !Number.isFinite(temperature)) {
    throw new Error(`softmaxWithTemperature: temperature must be a finite number ≥ 0, got ${temperature}`);
  }
  const probs = new Float64Array(logits.length);
  if (temperature === 0) {
    probs[argmax(logits)] = 1;
    return probs;
  }
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp((logits[i]! - max) / temperature);
    probs[i] = e;
    total += e;
  }
  for (let i = 0; i < probs.length; i++) probs[i]! /= total;
  return probs;
}

/**
 * Keeps the k largest logits and sets the rest to -Infinity. Exactly k survive: among
 * equal values at the cut the lower indices are kept.
 */
export function topK(logits: ArrayLike<number>, k: number): Float64Array {
  checkLogits('topK', logits);
  if (!Number.isInteger(k) || k < 1) throw new Error(`topK: k must be an integer ≥ 1, got ${k}`);
  const out = new Float64Array(logits.length).fill(-Infinity);
  for (const i of orderDescending(logits).slice(0, k)) out[i] = logits[i]!;
  return out;
}

/**
 * Nucleus filtering: sorts tokens by probability (softmax of `logits`), keeps the shortest
 * prefix whose total reaches p (always at least the most likely token), sets the rest to
 * -Infinity. Apply temperature before calling, as `sample` does.
 */
export function topP(logits: ArrayLike<number>, p: number): Float64Array {
  checkLogits('topP', logits);
  if (!(p > 0 && p <= 1)) throw new Error(`topP: p must be in (0, 1], got ${p}`);
  const probs = softmaxWithTemperature(logits, 1);
  const out = new Float64Array(logits.length).fill(-Infinity);
  let mass = 0;
  for (const i of orderDescending(probs)) {
    if (probs[i] === 0) break;
    out[i] = logits[i]!;
    mass += probs[i]!;
    // A hair of slack so p = 1 keeps every token despite rounding in the running sum.
    if (mass >= p - 1e-12) break;
  }
  return out;
}

/** Draws an index from probabilities (need not sum to exactly 1) by inverting the CDF. */
export function sampleCategorical(probs: ArrayLike<number>, random: () => number): number {
  let total = 0;
  let last = -1;
  for (let i = 0; i < probs.length; i++) {
    const q = probs[i]!;
    if (!(q >= 0) || q === Infinity) throw new Error(`sampleCategorical: probs[${i}] = ${q} is not a finite non-negative number`);
    total += q;
    if (q > 0) last = i;
  }
  if (last < 0) throw new Error('sampleCategorical: all probabilities are zero');
  const u = random();
  if (!(u >= 0 && u < 1)) throw new Error(`sampleCategorical: random() must return a number in [0, 1), got ${u}`);
  const target = u * total;
  let cumulative = 0;
  for (let i = 0; i < probs.length; i++) {
    cumulative += probs[i]!;
    if (probs[i]! > 0 && target < cumulative) return i;
  }
  return last; // rounding left target just above the running sum
}

/** One token id from logits, per `SampleOptions`; greedy when temperature is 0. */
export function sample(logits: ArrayLike<number>, options: SampleOptions = {}): number {
  checkLogits('sample', logits);
  const temperature = options.temperature ?? 1;
  if (!(temperature >= 0) || !Number.isFinite(temperature)) {
    throw new Error(`sample: temperature must be a finite number ≥ 0, got ${temperature}`);
  }
  if (temperature === 0) return argmax(logits);
  if (options.random === undefined) {
    throw new Error('sample: pass a uniform source { random } (e.g. a seeded generator) when temperature > 0');
  }
  let scaled: ArrayLike<number> = Float64Array.from(logits, (v) => v / temperature);
  if (options.topK !== undefined) scaled = topK(scaled, options.topK);
  if (options.topP !== undefined) scaled = topP(scaled, options.topP);
  return sampleCategorical(softmaxWithTemperature(scaled, 1), options.random);
}
