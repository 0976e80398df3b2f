// The PyTorch fixture suites again, on the CPU backend's JavaScript kernels: the tier that runs
// where WebAssembly SIMD is missing (old browsers, a CSP without 'wasm-unsafe-eval'). The
// suites' own files run on the default tier, which in Node 22 is wasm SIMD (cpu-wasm.ts), and
// cpu-f64-tier.test.ts runs them on 'wasm-f64', so every fixture passes on every tier. Each test
// file has its own module graph, so forcing the tier here leaves the other files alone.
import { describe, expect, it } from 'vitest';
import { cpuTier, setCpuTier } from '../../src/engine/backends/cpu-wasm.ts';

setCpuTier('js');
await import('./torch-ops.test.ts');
await import('./nn-modules.test.ts');
await import('./optim.test.ts');
await import('./models.test.ts');

describe('CPU tier', () => {
  it('the fixture suites above ran on the JavaScript kernels', () => {
    expect(cpuTier()).toBe('js');
  });
});
