// GPU time per iteration, with the queue's latency amortised: k iterations are submitted back to
// back and only the last result is read back (the read waits for all k). k is picked from an
// untimed warm-up so one timed batch lasts ~targetMs; each of `runs` batches gives ms / k, and the
// median of those is reported (p90 too, to show the spread).

export interface Batch {
  /** Runs the workload k times, reads back the last result, frees every intermediate. */
  run(k: number): Promise<void>;
  dispose(): void | Promise<void>;
}

/** What both libraries' tensors offer: an async read and a free. */
interface Readable {
  data(): Promise<unknown>;
  dispose(): void;
}

/** k times `produce()`, every result but the last freed at once, the last read back (waiting for all k), then freed. */
export async function runK(k: number, produce: () => Readable): Promise<void> {
  let last: Readable | null = null;
  for (let i = 0; i < k; i++) {
    last?.dispose();
    last = produce();
  }
  try {
    await last!.data();
  } finally {
    last!.dispose();
  }
}

export type Cell =
  | { status: 'ok'; ms: number; p90Ms: number; iters: number; runs: number }
  | { status: 'n/a' | 'error'; reason: string };

export interface TimingOptions {
  runs: number;
  targetMs: number;
  maxIters: number;
}

const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

export async function timeBatch(batch: Batch, opts: TimingOptions): Promise<Cell> {
  await batch.run(1); // pipelines compile, pools fill
  let t0 = performance.now();
  await batch.run(1);
  const single = performance.now() - t0;
  const iters = Math.max(1, Math.min(opts.maxIters, Math.round(opts.targetMs / Math.max(single, 1e-3))));
  const per: number[] = [];
  for (let r = 0; r < opts.runs; r++) {
    t0 = performance.now();
    await batch.run(iters);
    per.push((performance.now() - t0) / iters);
  }
  per.sort((a, b) => a - b);
  return { status: 'ok', ms: quantile(per, 0.5), p90Ms: quantile(per, 0.9), iters, runs: opts.runs };
}

/** Builds, times and frees one contender's workload; a failure becomes an 'error' cell, not the run's end. */
export async function measure(build: () => Promise<Batch> | Batch, opts: TimingOptions): Promise<Cell> {
  let batch: Batch | null = null;
  try {
    batch = await build();
    return await timeBatch(batch, opts);
  } catch (err) {
    return { status: 'error', reason: (err as Error).message.split('\n')[0]! };
  } finally {
    await batch?.dispose();
  }
}
