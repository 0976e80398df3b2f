// Learning-rate schedules. Call scheduler.step() once after each optimizer.step().
import type { BaseOptions, Optimizer } from './optimizer.ts';

/**
 * Warm-up then cosine decay, as in scripts/fixtures/gen_optim.py:
 *   lr(step) = baseLr·step/warmup                                     for step < warmup
 *            = minLr + ½(baseLr − minLr)(1 + cos(π(s − warmup)/(total − warmup)))   otherwise,
 * with s = min(step, total), so the rate stays at minLr after `total` steps.
 */
export function warmupCosineLr(step: number, cfg: { baseLr: number; minLr: number; warmup: number; total: number }): number {
  const { baseLr, minLr, warmup, total } = cfg;
  if (step < warmup) return (baseLr * step) / warmup;
  if (total <= warmup) return minLr;
  const s = Math.min(step, total);
  return minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos((Math.PI * (s - warmup)) / (total - warmup)));
}

/** Base for schedules: remembers each group's initial lr and sets lr for the current step. */
export abstract class LRScheduler {
  readonly optimizer: Optimizer<BaseOptions>;
  readonly baseLrs: number[];
  /** Steps taken so far (torch's last_epoch). */
  lastStep = 0;

  constructor(optimizer: Optimizer<BaseOptions>) {
    this.optimizer = optimizer;
    this.baseLrs = optimizer.paramGroups.map((g) => g.lr);
  }

  /** The learning rate of group `i` at `step`. */
  protected abstract lrAt(step: number, baseLr: number, group: number): number;

  protected apply(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = this.lrAt(this.lastStep, this.baseLrs[i], i);
    });
  }

  /** Advance one step and set the new learning rates. */
  step(): void {
    this.lastStep++;
    this.apply();
  }

  /** The learning rate of each group now. */
  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}

/** lr = baseLr · lrLambda(step) (torch.optim.lr_scheduler.LambdaLR); one lambda or one per group. */
export class LambdaLR extends LRScheduler {
  private readonly lambdas: ((step: number) => number)[];

  constructor(optimizer: Optimizer<BaseOptions>, lrLambda: ((step: number) => number) | readonly ((step: number) => number)[]) {
    super(optimizer);
    const n = optimizer.paramGroups.length;
    if (typeof lrLambda === 'function') this.lambdas = Array.from({ length: n }, () => lrLambda);
    else if (lrLambda.length === n) this.lambdas = [...lrLambda];
    else throw new Error(`LambdaLR: expected ${n} lambdas (one per parameter group), got ${lrLambda.length}`);
    this.apply();
  }

  protected lrAt(step: number, baseLr: number, group: number): number {
    return baseLr * this.lambdas[group](step);
  }
}

/** warmupCosineLr for each group, from that group's initial lr down to minLr. */
export class WarmupCosineLR extends LRScheduler {
  readonly warmup: number;
  readonly total: number;
  readonly minLr: number;

  constructor(optimizer: Optimizer<BaseOptions>, opts: { warmup: number; total: number; minLr?: number }) {
    super(optimizer);
    if (!(opts.warmup >= 0) || !(opts.total >= opts.warmup)) throw new Error(`WarmupCosineLR: need 0 ≤ warmup ≤ total, got warmup ${opts.warmup}, total ${opts.total}`);
    this.warmup = opts.warmup;
    this.total = opts.total;
    this.minLr = opts.minLr ?? 0;
    this.apply();
  }

  protected lrAt(step: number, baseLr: number): number {
    return warmupCosineLr(step, { baseLr, minLr: this.minLr, warmup: this.warmup, total: this.total });
  }
}
