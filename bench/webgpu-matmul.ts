// Matmul GFLOP/s: the WebGPU backend (on whatever adapter this machine has) against the CPU
// backend in the same run. Run by hand:
//   source scripts/ensure-webgpu.sh && node --experimental-transform-types bench/webgpu-matmul.ts [N ...]
import { CpuBackend } from '../src/engine/backends/cpu.ts';
import { initWebGPU } from '../src/engine/backends/webgpu/index.ts';
import type { Backend } from '../src/engine/backend.ts';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (sizes.length === 0) sizes.push(128, 256);

const gpu = await initWebGPU();
if (!gpu) {
  console.error('no WebGPU adapter: source scripts/ensure-webgpu.sh first');
  process.exit(1);
}
console.log(`adapter: ${gpu.adapterInfo.description || gpu.adapterInfo.device} (${gpu.adapterInfo.vendor})`);
const cpu = new CpuBackend();

async function gflops(b: Backend, n: number, minMs = 500): Promise<number> {
  const a = b.alloc('float32', n * n), c = b.alloc('float32', n * n), o = b.alloc('float32', n * n);
  const data = Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  b.write(a, data); b.write(c, data);
  const p = { batch: 1, m: n, k: n, n, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
  b.run('matmul', [a, c], [o], p);
  await b.read(o); // warm-up (pipeline compile)
  let reps = 1, ms = 0;
  for (;;) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) b.run('matmul', [a, c], [o], p);
    await b.read(o);
    ms = performance.now() - t0;
    if (ms >= minMs) break;
    reps *= 2;
  }
  for (const x of [a, c, o]) b.free(x);
  return (2 * n * n * n * reps) / (ms * 1e6);
}

for (const n of sizes) {
  const g = await gflops(gpu, n);
  const c = await gflops(cpu, n);
  console.log(`N=${n}: webgpu ${g.toFixed(2)} GFLOP/s, cpu ${c.toFixed(2)} GFLOP/s, ratio webgpu/cpu ${(g / c).toFixed(2)}×`);
}
gpu.destroy();
