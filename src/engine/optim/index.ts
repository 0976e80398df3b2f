// optim: optimizers, gradient clipping and learning-rate schedules with torch's semantics.
export { Optimizer } from './optimizer.ts';
export type { BaseOptions, OptimizerStateDict, OptimizerStateValue, ParamGroup, ParamsArg, ParamState } from './optimizer.ts';
export { SGD } from './sgd.ts';
export type { SGDOptions } from './sgd.ts';
export { Adam, AdamW } from './adam.ts';
export type { AdamOptions } from './adam.ts';
export { clipGradNorm } from './clip.ts';
export type { ClipGradNormOptions } from './clip.ts';
export { LRScheduler, LambdaLR, WarmupCosineLR, warmupCosineLr } from './lr-scheduler.ts';
