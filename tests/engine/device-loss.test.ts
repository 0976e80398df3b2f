// Losing the WebGPU device (simulated with device.destroy(), as a driver reset would) must not
// hang the reader's program: the engine says so once, moves every tensor whose values it still
// has on the host (written from JS, or read back since the last kernel wrote them) to the CPU,
// switches to the CPU backend, and a tensor whose values died with the device throws a message
// that says exactly that.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as T from '../../src/engine/index.ts';
import type { WebGpuBackend } from '../../src/engine/backends/webgpu/index.ts';
import { initWebGPU } from '../../src/engine/backends/webgpu/index.ts';
import { webgpuForTests } from './webgpu-helpers.ts';

const probe = await webgpuForTests('device-loss.test.ts');
probe?.destroy();

/** A device of its own per test, made current. */
async function freshGpu(): Promise<WebGpuBackend> {
  const gpu = await initWebGPU();
  expect(gpu).not.toBeNull();
  T.setBackend('webgpu');
  return gpu!;
}

/** The loss is reported asynchronously, as a real one arrives while the program awaits. */
async function loseDevice(gpu: WebGpuBackend): Promise<void> {
  gpu.device.destroy();
  for (let i = 0; i < 500 && !gpu.isLost; i++) await new Promise((r) => setTimeout(r, 10));
  expect(gpu.isLost).toBe(true);
}

afterEach(() => {
  vi.restoreAllMocks();
  T.setBackend('cpu');
});

describe.skipIf(!probe)('WebGPU device loss', () => {
  it('moves tensors with host copies to the CPU, and the others say they are gone', async () => {
    const gpu = await freshGpu();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const written = T.tensor([[1, 2], [3, 4]]);          // values came from JS
    const read = T.matmul(written, written);             // computed, then read back
    const readValues = [...(await read.data())];
    const unread = read.add(1);                          // computed, never read
    const view = unread.reshape([4]);                    // shares the lost storage
    await loseDevice(gpu);

    expect(T.getBackend().name).toBe('cpu');
    const lossWarnings = warn.mock.calls.filter((c) => String(c[0]).includes('device lost'));
    expect(lossWarnings.length).toBe(1);
    expect(String(lossWarnings[0][0])).toMatch(/now runs on the CPU backend\. \d+ tensor\(s\) moved to the CPU.*1 tensor\(s\) computed on the GPU and never read back are gone/);

    expect(written._storage.backend.name).toBe('cpu');
    expect(await written.array()).toEqual([[1, 2], [3, 4]]);
    expect([...(await read.data())]).toEqual(readValues);
    // computing with moved tensors works on the CPU
    expect(await T.matmul(read, written).array()).toEqual([[37, 54], [81, 118]]);

    const gone = /tensor \[2,2\] float32: its values were computed on the GPU, and the WebGPU device was lost .* before they were read back, so they are gone; compute it again/;
    expect(() => unread.mul(2)).toThrow(/^mul: /);
    expect(() => unread.mul(2)).toThrow(gone);
    await expect(unread.data()).rejects.toThrow(/^data: tensor \[2,2\] float32: its values were computed on the GPU/);
    expect(() => view.sum()).toThrow(/^sum: tensor \[4\] float32: its values were computed on the GPU/);
    unread.dispose(); // disposing a lost tensor is fine
    view.dispose();
    // new tensors land on the CPU backend
    expect(T.ones([2]).add(1)._storage.backend.name).toBe('cpu');
  });

  it('a read in flight when the device goes rejects with a clear message instead of hanging', async () => {
    const gpu = await freshGpu();
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const x = T.randn([16, 16]);
    const y = T.matmul(x, x).tanh().sum();
    gpu.device.destroy();
    await expect(y.item()).rejects.toThrow(/WebGPU device was lost/);
    expect(T.getBackend().name).toBe('cpu');
    // x was written from JS, so it carried over
    expect(x._storage.backend.name).toBe('cpu');
    expect((await x.data()).length).toBe(256);
  });

  it('a training loop (Linear + AdamW) loses the device mid-run and finishes on the CPU', async () => {
    const gpu = await freshGpu();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    T.manualSeed(7);
    const model = new T.nn.Sequential(new T.nn.Linear(4, 16), new T.nn.Tanh(), new T.nn.Linear(16, 1));
    const x = T.randn([32, 4]);
    const y = T.sum(x.mul(T.tensor([0.5, -1, 2, 0.25])), 1, true).tanh();
    await y.data(); // the reader printed the targets, so their values are on the host too
    let opt = new T.optim.AdamW(model.parameters(), { lr: 0.02 });
    const losses: number[] = [];
    const errors: string[] = [];
    const backends: string[] = [];
    for (let step = 0; step < 60; step++) {
      if (step === 20) await loseDevice(gpu);
      try {
        const loss = T.tidy(() => {
          const l = T.mseLoss(model.forward(x) as T.Tensor, y);
          l.backward();
          return l;
        });
        opt.step();
        opt.zeroGrad();
        losses.push(await loss.item());
        backends.push(loss._storage.backend.name);
        loss.dispose();
        // what a reader's live plot of the weights does: read them now and then
        if (step % 5 === 4) for (const p of model.parameters()) await p.data();
      } catch (e) {
        // Adam's moment estimates were never read back: they died with the device. The
        // parameters were read at step 19, so they carried over; a fresh optimizer goes on.
        errors.push(String(e));
        model.zeroGrad();
        opt.dispose();
        opt = new T.optim.AdamW(model.parameters(), { lr: 0.02 });
      }
    }
    expect(errors.length, errors.slice(0, 3).join("\n")).toBe(1);
    expect(errors[0]).toMatch(/its values were computed on the GPU, and the WebGPU device was lost .* before they were read back/);
    expect(backends.slice(0, 20).every((b) => b === 'webgpu')).toBe(true);
    expect(backends.slice(20).every((b) => b === 'cpu')).toBe(true);
    expect(losses.length).toBe(59);
    // training carried on from the weights it had, not from scratch
    expect(losses[19]).toBeLessThan(losses[0]);
    expect(losses[losses.length - 1]).toBeLessThan(losses[19]);
    expect(model.parameters().every((p) => p._storage.backend.name === 'cpu')).toBe(true);
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('device lost')).length).toBe(1);
    model.dispose();
    opt.dispose();
  });
});
