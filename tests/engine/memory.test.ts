// dispose, tidy, `using` and memory(): loops must not leak tensors or bytes.
import { describe, expect, it, vi } from 'vitest';
import * as T from '../../src/engine/index.ts';
import { CpuBackend } from '../../src/engine/backends/cpu.ts';

/** What a leak would grow: live tensors and their bytes (the CPU's reuse pool may grow, bounded). */
function live() {
  const { liveTensors, liveBytes } = T.memory();
  return { liveTensors, liveBytes };
}

describe('memory', () => {
  it('tidy keeps liveTensors flat over a loop and keeps what fn returns', async () => {
    const x = T.randn([8, 8]);
    const before = live();
    let kept: T.Tensor | null = null;
    for (let i = 0; i < 50; i++) {
      kept?.dispose();
      kept = T.tidy(() => x.matmul(x).relu().softmax(-1).sum(0).mul(2));
    }
    expect(T.memory().liveTensors).toBe(before.liveTensors + 1);
    expect(kept!.isDisposed).toBe(false);
    kept!.dispose();
    expect(live()).toEqual(before);
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
    const before = live();
    for (let i = 0; i < 20; i++) {
      const a = T.ones([16]);
      const b = a.reshape(4, 4); // shares storage
      const c = b.exp();
      a.dispose();
      b.dispose();
      c.dispose();
    }
    expect(live()).toEqual(before);
  });

  it('the CPU backend recycles freed small arrays, zeroed, and its pool stays bounded', () => {
    for (let i = 0; i < 3; i++) T.full([64], 7).dispose();
    const pooled = T.memory().pooledBytes;
    expect(pooled).toBeGreaterThanOrEqual(64 * 4);
    for (let i = 0; i < 50; i++) T.full([64], 7).dispose();
    expect(T.memory().pooledBytes).toBe(pooled); // each allocation took the array the last one freed
    // A recycled array comes back zeroed, as a fresh one would be.
    const cpu = new CpuBackend();
    const buf = cpu.alloc('float32', 64);
    cpu.write(buf, new Float32Array(64).fill(7));
    cpu.free(buf);
    const again = cpu.alloc('float32', 64);
    expect(cpu.readSync(again)).toEqual(new Float32Array(64));
    // Large arrays are pooled only while work goes on: a second after the last, they are let go;
    // and arrays over 4 MB never are.
    T.zeros([1 << 21]).dispose();
    expect(T.memory().pooledBytes).toBe(pooled);
    vi.useFakeTimers();
    try {
      T.zeros([1 << 17]).dispose();
      expect(T.memory().pooledBytes).toBe(pooled + (1 << 19));
      T.zeros([1 << 17]).dispose(); // took the pooled one and gave it back
      expect(T.memory().pooledBytes).toBe(pooled + (1 << 19));
      vi.advanceTimersByTime(1000);
      expect(T.memory().pooledBytes).toBe(pooled);
    } finally {
      vi.useRealTimers();
    }
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
    const after1 = live();
    for (let i = 0; i < 30; i++) step();
    expect(live()).toEqual(after1);
  });

  it('a graph that is never backpropagated is freed when its tensors are disposed', () => {
    const w = T.randn([3, 3], { requiresGrad: true });
    const before = live();
    for (let i = 0; i < 10; i++) T.tidy(() => void w.matmul(w).tanh().sum());
    expect(live()).toEqual(before);
  });
});
