// Latency of one async call: a few untimed warm-ups (JIT, pipeline compiles, pool fills), then
// `runs` timed calls one after another; median and 90th percentile, in milliseconds.

export interface LatencyStat {
  medianMs: number;
  p90Ms: number;
  runs: number;
}

export interface TimingOptions {
  warmups: number;
  runs: number;
}

/** The q-quantile of sorted values (nearest rank: an observed time, never an interpolation). */
function quantile(sorted: readonly number[], q: number): number {
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export function median(values: readonly number[]): number {
  return quantile([...values].sort((a, b) => a - b), 0.5);
}

export async function timeCall(call: () => Promise<unknown>, opts: TimingOptions): Promise<LatencyStat> {
  for (let i = 0; i < opts.warmups; i++) await call();
  const times: number[] = [];
  for (let i = 0; i < opts.runs; i++) {
    const t0 = performance.now();
    await call();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { medianMs: quantile(times, 0.5), p90Ms: quantile(times, 0.9), runs: opts.runs };
}
