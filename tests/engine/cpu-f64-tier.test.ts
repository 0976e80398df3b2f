// The PyTorch fixture suites again, on the CPU backend's 'wasm-f64' tier: the SIMD matmul with
// float64 accumulation and Math's exp/erf, whose numbers are the JavaScript kernels' bit for bit
// and differ from the default tier's in the last bits (see cpu-js-tier.test.ts for how the suites
// are re-run).
import { describe, expect, it } from 'vitest';
import { cpuTier, setCpuTier } from '../../src/engine/backends/cpu-wasm.ts';

setCpuTier('wasm-f64');
await import('./torch-ops.test.ts');
await import('./nn-modules.test.ts');
await import('./optim.test.ts');
await import('./models.test.ts');

describe('CPU tier', () => {
  it("the fixture suites above ran on the 'wasm-f64' tier", () => {
    expect(cpuTier()).toBe('wasm-f64');
  });
});
