// Entry point of the WebGPU backend: find a device, register the backend as 'webgpu', and
// choose between WebGPU and CPU for the reader (auto, or forced either way).
import { registerBackend, setBackend } from '../../backend.ts';
import '../cpu.ts';
import type { WebGpuBackendOptions } from './backend.ts';
import { WebGpuBackend } from './backend.ts';
import type { WebGpuInitOptions } from './device.ts';
import { requestWebGpuDevice } from './device.ts';

export { WebGpuBackend, WebGpuBuffer, WebGpuDeviceLostError } from './backend.ts';
export type { WebGpuBackendOptions } from './backend.ts';
export type { WebGpuInitOptions } from './device.ts';

let current: WebGpuBackend | null = null;

/**
 * Create the WebGPU backend and register it as 'webgpu' (not made current).
 * Resolves to null when no adapter is available, so callers can stay on CPU.
 */
export async function initWebGPU(opts: WebGpuInitOptions & WebGpuBackendOptions = {}): Promise<WebGpuBackend | null> {
  const ctx = await requestWebGpuDevice(opts);
  if (!ctx) return null;
  const backend = new WebGpuBackend(ctx, opts);
  current = backend;
  registerBackend('webgpu', () => backend);
  return backend;
}

/** The backend made by the last successful initWebGPU(), if any. */
export function webgpuBackend(): WebGpuBackend | null {
  return current;
}

export type BackendChoice = 'auto' | 'webgpu' | 'cpu';

/**
 * Pick the engine's backend: 'auto' takes WebGPU when an adapter exists, else CPU; 'cpu' and
 * 'webgpu' force one (forcing WebGPU without an adapter warns and stays on CPU).
 * On device loss the engine switches back to CPU by itself. Resolves to the chosen name.
 */
export async function initBackend(choice: BackendChoice = 'auto', opts: WebGpuInitOptions & WebGpuBackendOptions = {}): Promise<'webgpu' | 'cpu'> {
  if (choice === 'cpu') {
    setBackend('cpu');
    return 'cpu';
  }
  const backend = current && !current.isLost ? current : await initWebGPU(opts);
  if (!backend) {
    if (choice === 'webgpu') console.warn('webgpu: no WebGPU adapter available here; using the CPU backend');
    setBackend('cpu');
    return 'cpu';
  }
  backend.onDeviceLost(() => setBackend('cpu'));
  setBackend('webgpu');
  return 'webgpu';
}
