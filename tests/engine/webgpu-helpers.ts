// Shared by the WebGPU test files: one device per file, a visible skip locally without an
// adapter, and a hard failure in CI (where scripts/ensure-webgpu.sh must have provided one).
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebGpuBackend } from '../../src/engine/backends/webgpu/index.ts';
import { initWebGPU } from '../../src/engine/backends/webgpu/index.ts';

export async function webgpuForTests(file: string): Promise<WebGpuBackend | null> {
  if (!process.env.XDG_RUNTIME_DIR) {
    const dir = join(tmpdir(), `xdg-runtime-${process.getuid?.() ?? 'user'}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    process.env.XDG_RUNTIME_DIR = dir;
  }
  const backend = await initWebGPU();
  if (backend) return backend;
  const how = "run 'source scripts/ensure-webgpu.sh' first (it installs a Vulkan driver Dawn accepts)";
  if (process.env.CI) throw new Error(`${file}: no WebGPU adapter in CI — ${how}`);
  console.warn(`\n*** ${file}: SKIPPED — no WebGPU adapter here; ${how} ***\n`);
  return null;
}
