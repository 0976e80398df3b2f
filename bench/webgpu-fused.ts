// Fused vs unfused WebGPU kernels in one run on whatever adapter this machine has (a software
// one here): the same engine ops with Backend.runFused on, then off (the primitive composites,
// which is what every other backend runs). Prints ms per call and the unfused/fused ratio.
// Run by hand:
//   source scripts/ensure-webgpu.sh && node --experimental-transform-types bench/webgpu-fused.ts
// (VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json picks SwiftShader, as in Chromium.)
import * as T from '../src/engine/index.ts';

const gpu = await T.initWebGPU();
if (!gpu) {
  console.error('no WebGPU adapter: source scripts/ensure-webgpu.sh first');
  process.exit(1);
}
T.setBackend('webgpu');
console.log(`adapter: ${gpu.adapterInfo.description || gpu.adapterInfo.device} (${gpu.adapterInfo.vendor})`);
const fusedRun = gpu.runFused.bind(gpu);

function setFused(on: boolean): void {
  gpu!.runFused = on ? fusedRun : () => false;
}

/** ms per call of fn (its result read back once per batch of calls, so queued work is counted). */
async function msPerCall(fn: () => T.Tensor, minMs = 400): Promise<number> {
  const warm = fn();
  await warm.data(); // pipelines compiled
  warm.dispose();
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    let last: T.Tensor | null = null;
    for (let r = 0; r < reps; r++) { last?.dispose(); last = fn(); }
    await last!.data();
    last!.dispose();
    const ms = performance.now() - t0;
    if (ms >= minMs || reps >= 1024) return ms / reps;
    reps *= 2;
  }
}

async function compare(name: string, fn: () => T.Tensor): Promise<void> {
  setFused(true);
  const fused = await msPerCall(fn);
  setFused(false);
  const unfused = await msPerCall(fn);
  setFused(true);
  console.log(`${name.padEnd(52)} fused ${fused.toFixed(2).padStart(8)} ms   unfused ${unfused.toFixed(2).padStart(8)} ms   unfused/fused ${(unfused / fused).toFixed(2)}×`);
}

T.manualSeed(0);
for (const [rows, size] of [[256, 256], [64, 1024], [1024, 32]] as const) {
  const x = T.randn([rows, size]);
  await compare(`softmax [${rows}, ${size}]`, () => T.softmax(x, -1));
}
{
  const x = T.randn([128, 256], { requiresGrad: true });
  const w = T.randn([256], { requiresGrad: true });
  const b = T.randn([256], { requiresGrad: true });
  await compare('layerNorm [128, 256] forward + backward', () => T.tidy(() => {
    T.layerNorm(x, 256, w, b).sum().backward();
    return x.grad!.clone();
  }));
  T.zeroGrad([x, w, b]);
  const logits = T.randn([128, 256], { requiresGrad: true });
  const target = T.randint(0, 256, [128]);
  await compare('crossEntropy [128, 256] forward + backward', () => T.tidy(() => {
    T.crossEntropy(logits, target).backward();
    return logits.grad!.clone();
  }));
  T.zeroGrad([logits]);
}
for (const causal of [false, true]) {
  const [B, H, L, E] = [1, 4, 128, 32];
  const q = T.randn([B, H, L, E]), k = T.randn([B, H, L, E]), v = T.randn([B, H, L, E]);
  await compare(`attention [${B},${H},${L},${E}]${causal ? ' causal' : ''} (inference)`, () => T.noGrad(() => T.scaledDotProductAttention(q, k, v, { isCausal: causal })));
}
{
  const ps = [T.randn([256, 256], { requiresGrad: true }), T.randn([256], { requiresGrad: true })];
  const opt = new T.optim.AdamW(ps, { lr: 1e-3 });
  await compare('AdamW step, 65.8k parameters', () => {
    for (const p of ps) p.grad = T.onesLike(p);
    opt.step();
    opt.zeroGrad();
    return ps[1].clone();
  });
}
gpu.destroy();
