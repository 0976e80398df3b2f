// The PyTorch fixture suites again, on the CPU backend's 'wasm-f32' tier: float32 accumulation in
// the matmul and SIMD exp/erf, whose numbers differ from the default tiers' in the last bits
// (see cpu-js-tier.test.ts for how the suites are re-run).
import { describe, expect, it } from 'vitest';
import { cpuTier, setCpuTier } from '../../src/engine/backends/cpu-wasm.ts';

setCpuTier('wasm-f32');
await import('./torch-ops.test.ts');
await import('./nn-modules.test.ts');
await import('./optim.test.ts');
await import('./models.test.ts');

describe('CPU tier', () => {
  it("the fixture suites above ran on the 'wasm-f32' tier", () => {
    expect(cpuTier()).toBe('wasm-f32');
  });
});
