// Entry point of the WebGPU backend: find a device, register the backend as 'webgpu', and
// choose between WebGPU and CPU for the reader (auto, or forced either way).
import { backendByName, getBackend, registerBackend, setBackend } from '../../backend.ts';
import { migrateStorages } from '../../memory.ts';
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
  backend.onDeviceLost((reason) => carryOnOnCpu(backend, reason));
  return backend;
}

/**
 * After device loss: every live tensor of `lost` moves to the CPU with the last values the
 * backend kept on the host (written, or read back since the last kernel wrote them); the rest
 * are marked lost and throw a message saying so. The engine switches to CPU if it was on `lost`.
 */
function carryOnOnCpu(lost: WebGpuBackend, reason: string): void {
  const report = migrateStorages(lost, backendByName('cpu'),
    `its values were computed on the GPU, and the WebGPU device was lost (${reason}) before they were read back, ` +
    'so they are gone; compute it again (the engine now runs on the CPU backend)');
  const wasCurrent = getBackend() === lost;
  if (wasCurrent) setBackend('cpu');
  console.warn(
    `webgpu: device lost (${reason}). ${wasCurrent ? 'The engine now runs on the CPU backend. ' : ''}` +
    `${report.moved} tensor(s) moved to the CPU with their last values; ${report.lost} tensor(s) computed on the GPU ` +
    'and never read back are gone (using one throws an error that says so): re-run the code that makes them.');
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
  setBackend('webgpu');
  return 'webgpu';
}
