// The engine on its WebGPU backend: the calls a reader makes. matmul is `a.matmul(b)`; attention
// is scaledDotProductAttention under noGrad (the backend's fused inference kernel where it applies);
// the GPT step is bench/gpt-step.ts's engineGptTrainer, the same step the CPU bench times.
import * as E from '../../src/engine/index.ts';
import { engineGptTrainer } from '../gpt-step.ts';
import { runK, type Batch } from './timing.ts';

export function engineMatmul(n: number): Batch {
  const a = E.randn([n, n]);
  const b = E.randn([n, n]);
  return {
    run: (k) => runK(k, () => a.matmul(b)),
    dispose: () => {
      a.dispose();
      b.dispose();
    },
  };
}

export function engineAttention(shape: [number, number, number, number]): Batch {
  const [q, k, v] = [E.randn(shape), E.randn(shape), E.randn(shape)];
  return {
    run: (iters) => runK(iters, () => E.noGrad(() => E.scaledDotProductAttention(q, k, v))),
    dispose: () => {
      for (const t of [q, k, v]) t.dispose();
    },
  };
}

export function engineGpt(): Batch {
  const trainer = engineGptTrainer();
  return { run: (k) => runK(k, () => trainer.step()), dispose: () => trainer.dispose() };
}
