// dispose, tidy, `using` and memory(): loops must not leak tensors or bytes.
import { describe, expect, it } from 'vitest';
import * as T from '../../src/engine/index.ts';

describe('memory', () => {
  it('tidy keeps liveTensors flat over a loop and keeps what fn returns', async () => {
    const x = T.randn([8, 8]);
    const before = T.memory();
    let kept: T.Tensor | null = null;
    for (let i = 0; i < 50; i++) {
      kept?.dispose();
      kept = T.tidy(() => x.matmul(x).relu().softmax(-1).sum(0).mul(2));
    }
    expect(T.memory().liveTensors).toBe(before.liveTensors + 1);
    expect(kept!.isDisposed).toBe(false);
    kept!.dispose();
    expect(T.memory()).toEqual(before);
  });

  it('tidy returns arrays and objects of tensors; nested tidy moves results outward', () => {
    const before = T.memory().liveTensors;
    const { a, parts } = T.tidy(() => {
      const inner = T.tidy(() => T.ones([2]).add(1));
      return { a: inner.mul(3), parts: T.split(T.arange(4), 2) };
    });
    expect(T.memory().liveTensors).toBe(before + 3);
    [a, ...parts].forEach((t) => t.dispose());
    expect(T.memory().liveTensors).toBe(before);
  });

  it('dispose keeps liveTensors and liveBytes flat', () => {
    const before = T.memory();
    for (let i = 0; i < 20; i++) {
      const a = T.ones([16]);
      const b = a.reshape(4, 4); // shares storage
      const c = b.exp();
      a.dispose();
      b.dispose();
      c.dispose();
    }
    expect(T.memory()).toEqual(before);
    expect(before.pooledBytes).toBe(0);
  });

  it('`using` disposes at the end of the block', () => {
    const before = T.memory().liveTensors;
    {
      using t = T.zeros([3]);
      expect(T.memory().liveTensors).toBe(before + 1);
      expect(t.size).toBe(3);
    }
    expect(T.memory().liveTensors).toBe(before);
  });

  it('a training loop with tidy + backward + assign stays flat, graphs are freed', async () => {
    const w = T.randn([4, 3], { requiresGrad: true });
    const x = T.randn([5, 4]);
    const y = T.randn([5, 3]);
    const step = () => {
      T.tidy(() => {
        const loss = T.mseLoss(x.matmul(w), y);
        loss.backward();
        T.noGrad(() => w.assign(w.sub(w.grad!.mul(0.1))));
      });
      T.zeroGrad([w]);
    };
    step();
    const after1 = T.memory();
    for (let i = 0; i < 30; i++) step();
    expect(T.memory()).toEqual(after1);
  });

  it('a graph that is never backpropagated is freed when its tensors are disposed', () => {
    const w = T.randn([3, 3], { requiresGrad: true });
    const before = T.memory();
    for (let i = 0; i < 10; i++) T.tidy(() => void w.matmul(w).tanh().sum());
    expect(T.memory()).toEqual(before);
  });
});
