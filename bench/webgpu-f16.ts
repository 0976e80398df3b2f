// f16 vs f32 storage for the WebGPU matmul (initWebGPU({ f16: true }) / setF16): the same
// backend, interleaved rounds, best of 3, GFLOP/s and the f16/f32 ratio. The f16 side reuses
// the operands' f16 copies (made once, like weights), so it times the matmul reading half the
// bytes; a second line includes converting A every time (an activation). Run by hand:
//   source scripts/ensure-webgpu.sh && node --experimental-transform-types bench/webgpu-f16.ts [N ...]
import { initWebGPU } from '../src/engine/backends/webgpu/index.ts';
import type { WebGpuBackend } from '../src/engine/backends/webgpu/index.ts';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (sizes.length === 0) sizes.push(256, 512);

const gpu = await initWebGPU();
if (!gpu) {
  console.error('no WebGPU adapter: source scripts/ensure-webgpu.sh first');
  process.exit(1);
}
console.log(`adapter: ${gpu.adapterInfo.description || gpu.adapterInfo.device} (${gpu.adapterInfo.vendor}); features: ${gpu.features.join(', ')}`);
if (!gpu.setF16(true)) {
  console.error("this adapter has no 'shader-f16': nothing to compare");
  gpu.destroy();
  process.exit(0);
}

async function gflops(b: WebGpuBackend, n: number, f16: boolean, freshA: boolean, minMs = 400): Promise<number> {
  b.setF16(f16);
  const a = b.alloc('float32', n * n), c = b.alloc('float32', n * n), o = b.alloc('float32', n * n);
  const data = Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  b.write(a, data); b.write(c, data);
  const p = { batch: 1, m: n, k: n, n, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
  const once = () => {
    if (freshA) b.run('fill', [], [a], { value: 0.25 }); // A changes: its f16 copy is made again
    b.run('matmul', [a, c], [o], p);
  };
  once();
  await b.read(o); // warm-up (pipeline compile, f16 copies)
  let reps = 1, ms = 0;
  for (;;) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) once();
    await b.read(o);
    ms = performance.now() - t0;
    if (ms >= minMs) break;
    reps *= 2;
  }
  for (const x of [a, c, o]) b.free(x);
  return (2 * n * n * n * reps) / (ms * 1e6);
}

for (const n of sizes) {
  for (const freshA of [false, true]) {
    let best32 = 0, best16 = 0;
    for (let round = 0; round < 3; round++) {
      best32 = Math.max(best32, await gflops(gpu, n, false, freshA));
      best16 = Math.max(best16, await gflops(gpu, n, true, freshA));
    }
    const what = freshA ? 'A rewritten each time (f16 side converts it)' : 'operands unchanged (f16 copies reused)';
    console.log(`N=${n}, ${what}: f32 ${best32.toFixed(2)} GFLOP/s, f16 ${best16.toFixed(2)} GFLOP/s, ratio f16/f32 ${(best16 / best32).toFixed(2)}×`);
  }
}
gpu.destroy();
