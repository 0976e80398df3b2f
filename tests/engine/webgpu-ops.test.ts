// The engine's ops on the WebGPU backend: the core's PyTorch fixture suite (forward values and
// gradients) re-run with 'webgpu' as the current backend, a training loop that must keep GPU
// memory flat, and device loss in the middle of a loop.
import { describe, expect, it, vi } from 'vitest';
import * as T from '../../src/engine/index.ts';
import { webgpuForTests } from './webgpu-helpers.ts';

const gpu = await webgpuForTests('webgpu-ops.test.ts');

if (gpu) {
  // The fixture file registers its describe/it blocks on import; they run with this file's
  // current backend (each test file has its own module graph), so they exercise WebGPU here.
  T.setBackend('webgpu');
  await import('./torch-ops.test.ts');
}

describe.skipIf(!gpu)('engine ops on webgpu', () => {
  it('the fixture suite above really ran on the GPU, with no CPU fallback', () => {
    console.log(`webgpu stats after the torch fixtures: ${JSON.stringify(gpu!.stats)}`);
    expect(gpu!.stats.dispatches).toBeGreaterThan(1000);
    expect(gpu!.stats.hostFallbacks).toBe(0);
  });

  it('ops and gradients match the CPU backend', async () => {
    const run = async (backend: string) => {
      T.setBackend(backend);
      T.manualSeed(3);
      const x = T.randn([7, 33], { requiresGrad: true });
      const w = T.randn([33, 5], { requiresGrad: true });
      const b = T.randn([5], { requiresGrad: true });
      const y = T.matmul(x, w).add(b).tanh();
      const loss = T.logsumexp(y, 1).mean().add(y.max(0).sum());
      loss.backward();
      const out = [await y.data(), await x.grad!.data(), await w.grad!.data(), await b.grad!.data()];
      T.setBackend('webgpu');
      return out;
    };
    const want = await run('cpu');
    const got = await run('webgpu');
    for (let k = 0; k < want.length; k++) {
      for (let i = 0; i < want[k].length; i++) expect(Math.abs(got[k][i] - want[k][i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(want[k][i])));
    }
  });

  it('a 1000-step training loop keeps live and pooled GPU bytes flat', async () => {
    T.setBackend('webgpu');
    T.manualSeed(1);
    const w = T.randn([16, 16], { requiresGrad: true });
    const x = T.randn([8, 16]);
    const samples: { live: number; pooled: number }[] = [];
    for (let step = 0; step < 1000; step++) {
      T.tidy(() => {
        const loss = T.matmul(x, w).add(x).square().sum();
        loss.backward();
        T.noGrad(() => w.assign(w.sub(w.grad!.mul(1e-4))));
        w.grad!.dispose();
        w.grad = null;
      });
      if (step % 100 === 99) {
        await w.data();
        const m = T.memory();
        samples.push({ live: m.liveBytes, pooled: m.pooledBytes });
      }
    }
    const tail = samples.slice(1);
    expect(new Set(tail.map((s) => s.live)).size, JSON.stringify(samples)).toBe(1);
    expect(new Set(tail.map((s) => s.pooled)).size, JSON.stringify(samples)).toBe(1);
    w.dispose();
    x.dispose();
  });

  it('device loss mid-loop: a clear error, no hang, and work carries on on CPU', async () => {
    // a device of its own, so the other tests keep theirs
    const { initWebGPU } = await import('../../src/engine/backends/webgpu/index.ts');
    const lost = await initWebGPU();
    expect(lost).not.toBeNull();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const reasons: string[] = [];
    lost!.onDeviceLost((r) => { reasons.push(r); T.setBackend('cpu'); });
    T.setBackend('webgpu');
    try {
      const w = T.tensor([[1, 2], [3, 4]]);
      const seen = await w.data();
      let error: unknown = null;
      try {
        for (let step = 0; step < 100; step++) {
          const y = T.matmul(w, w).sum();
          if (step === 10) lost!.device.destroy();
          await y.data();
          y.dispose();
        }
      } catch (e) {
        error = e;
      }
      expect(String(error)).toMatch(/WebGPU device was lost/);
      expect(reasons.length).toBe(1);
      expect(T.getBackend().name).toBe('cpu');
      expect(warn.mock.calls.some((c) => String(c[0]).includes('device lost'))).toBe(true);
      // the last values read before the loss moved to the CPU with the tensor
      expect(w._storage.backend.name).toBe('cpu');
      expect([...(await w.data())]).toEqual([...seen]);
      const z = T.matmul(T.tensor([[1, 2], [3, 4]]), T.tensor([[1, 0], [0, 1]]));
      expect(await z.array()).toEqual([[1, 2], [3, 4]]);
    } finally {
      warn.mockRestore();
      // later tests keep using the file's first device
      T.registerBackend('webgpu', () => gpu!);
      T.setBackend('webgpu');
    }
  });
});

describe.skipIf(!gpu)('index validation on webgpu (host copies of written or read indices)', () => {
  const f = (shape: number[]) => T.zeros(shape);
  const i32 = (v: number[] | number[][]) => T.tensor(v, { dtype: 'int32' });
  it('bad indices throw the same errors as on the CPU, before any kernel runs', async () => {
    T.setBackend('webgpu');
    expect(() => T.gather(f([2, 5]), 1, i32([[0, 7]]))).toThrow('gather: index 7 out of range for dim 1 of size 5');
    expect(() => T.embedding(i32([0, 9]), f([4, 2]))).toThrow(/^embedding: index 9 out of range for numEmbeddings 4/);
    expect(() => T.indexSelect(f([3, 2]), 0, i32([3]))).toThrow('indexSelect: index 3 out of range for dim 0 of size 3');
    expect(() => T.scatterAdd(f([2, 3]), 1, i32([[5]]), f([1, 1]))).toThrow(/^scatterAdd: index 5 out of range/);
    expect(() => T.crossEntropy(f([2, 3]), i32([0, 3]))).toThrow('crossEntropy: target 3 out of range for 3 classes');
    expect(() => T.crossEntropy(f([2, 3]), i32([-100, 3]))).toThrow('crossEntropy: target 3 out of range for 3 classes');
    // indices computed on the GPU and then read back are checked too
    const computed = T.tensor([1, 6]).int();
    await computed.data();
    expect(() => T.embedding(computed, f([4, 2]))).toThrow(/^embedding: index 6 out of range/);
    expect(T.getBackend().name).toBe('webgpu');
  });
});

describe.skipIf(!gpu)('index values computed on the GPU and never read: checked on the GPU', () => {
  const i32 = (v: number[]) => T.tensor(v, { dtype: 'int32' });
  /** Indices the host never sees: argmax over one-hot rows, plus `shift`. */
  const computed = (hot: number[], width: number, shift: number): T.Tensor =>
    T.argmax(T.oneHot(i32(hot), width).float(), 1).add(shift);
  /** The CPU's synchronous error for the same op on host indices. */
  const cpuMessage = (fn: () => unknown): string => {
    T.setBackend('cpu');
    try { fn(); } catch (e) { return (e as Error).message; } finally { T.setBackend('webgpu'); }
    throw new Error('the CPU accepted the indices');
  };

  it('embedding of argmax(...) + 10: the next read rejects with the CPU message', async () => {
    T.setBackend('webgpu');
    const weight = T.randn([5, 3]);
    const idx = computed([1, 0, 2], 3, 10); // [11, 10, 12]
    const out = T.embedding(idx, weight); // no throw: the host has no copy of idx
    const error = await out.data().then(() => null, (e: unknown) => e as Error);
    expect(error?.message).toBe(cpuMessage(() => T.embedding(i32([11, 10, 12]), T.zeros([5, 3]))));
    expect(error?.message).toBe('embedding: index 11 out of range for numEmbeddings 5');
    // reported once: the next read of the same tensor resolves (its rows were clamped)
    expect((await out.data()).length).toBe(9);
  });

  it('gather, indexSelect, scatterAdd and cross-entropy targets name the op, value and dim like the CPU', async () => {
    T.setBackend('webgpu');
    const cases: [string, (idx: T.Tensor) => T.Tensor, number[], number][] = [
      ['gather', (idx) => T.gather(T.zeros([1, 5]), 1, idx.reshape([1, 2])), [0, 1], 6], // [6, 7]
      ['indexSelect', (idx) => T.indexSelect(T.zeros([3, 2]), 0, idx), [2, 0], 1], // [3, 1]
      ['scatterAdd', (idx) => T.scatterAdd(T.zeros([2, 3]), 1, idx.reshape([1, 2]), T.ones([1, 2])), [0, 1], 4], // [4, 5]
      ['crossEntropy', (idx) => T.crossEntropy(T.zeros([2, 3]), idx), [1, 0], 2], // [3, 2]
      ['negative index', (idx) => T.embedding(idx, T.zeros([4, 2])), [0, 1], -1], // [-1, 0]
      ['first bad one not first', (idx) => T.embedding(idx, T.zeros([4, 2])), [0, 2, 1, 3], 3], // [3, 5, 4, 6]
    ];
    for (const [name, op, hot, shift] of cases) {
      const hostIdx = hot.map((h) => h + shift);
      const want = cpuMessage(() => op(i32(hostIdx)));
      const out = op(computed(hot, 2 + Math.max(...hot), shift));
      await expect(out.data(), name).rejects.toThrow(want);
    }
    expect(cpuMessage(() => T.gather(T.zeros([1, 5]), 1, T.tensor([[6, 7]], { dtype: 'int32' })))).toBe('gather: index 6 out of range for dim 1 of size 5');
  });

  it('the first failing check in program order is the one reported; an explicit sync reports too', async () => {
    T.setBackend('webgpu');
    const a = T.indexSelect(T.zeros([2, 2]), 0, computed([0], 1, 4));
    const b = T.embedding(computed([0], 1, 9), T.zeros([3, 2]));
    await expect(b.data()).rejects.toThrow('indexSelect: index 4 out of range for dim 0 of size 2');
    await a.data(); // reported once
    T.embedding(computed([0], 1, 7), T.zeros([3, 2]));
    await expect(gpu!.sync()).rejects.toThrow('embedding: index 7 out of range for numEmbeddings 3');
    await gpu!.sync();
  });

  it('valid computed indices give the CPU values, and reads cost no extra submit', async () => {
    const run = async (backend: string) => {
      T.setBackend(backend);
      T.manualSeed(4);
      const weight = T.randn([6, 4], { requiresGrad: true });
      const logits = T.randn([5, 6]);
      const idx = T.argmax(logits, 1); // computed, never read
      const emb = T.embedding(idx, weight);
      const picked = T.gather(logits, 1, idx.reshape([5, 1]));
      const loss = T.crossEntropy(emb.matmul(T.randn([4, 6])), idx);
      loss.backward();
      return Promise.all([emb.data(), picked.data(), loss.data(), weight.grad!.data()]);
    };
    const want = await run('cpu');
    const got = await run('webgpu');
    for (let k = 0; k < want.length; k++) {
      for (let i = 0; i < want[k].length; i++) expect(Math.abs(got[k][i] - want[k][i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(want[k][i])));
    }
    T.setBackend('webgpu');
    const submitsOfOneRead = async (withIndexOp: boolean): Promise<number> => {
      const x = T.randn([4, 4]).exp();
      const y = withIndexOp ? T.embedding(T.argmax(x, 1), x) : x.add(1);
      const before = gpu!.stats.submits;
      await y.data();
      return gpu!.stats.submits - before;
    };
    expect(await submitsOfOneRead(false)).toBe(1);
    expect(await submitsOfOneRead(true)).toBe(1);
  });
});
