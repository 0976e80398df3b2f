/// <reference types="@webgpu/types" />
// Finding a WebGPU adapter and device: navigator.gpu in pages and workers, the npm package
// `webgpu` (dawn.node) in Node. Optional features are requested only when the adapter has them.

export interface WebGpuInitOptions {
  /** A GPU object to use instead of navigator.gpu / dawn.node (tests, custom hosts). */
  gpu?: GPU;
  powerPreference?: GPUPowerPreference;
}

export interface WebGpuContext {
  device: GPUDevice;
  adapterInfo: { vendor: string; architecture: string; device: string; description: string };
  /** Optional features that were present and enabled. */
  features: string[];
}

const OPTIONAL_FEATURES = ['shader-f16', 'subgroups', 'timestamp-query'] as const;

// Limits raised to what the adapter allows: big matrices for the engine, and the ones onnxruntime's
// kernels need, since its WebGPU sessions share this device (runtime/models/ort-web.ts) — its LSTM
// binds 9 storage buffers, one more than the default.
const WANTED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
] as const;

let nodeGpu: Promise<GPU | null> | null = null;

/** dawn.node, loaded only in Node; the specifier is a variable so web bundlers never follow it. */
function gpuFromNode(): Promise<GPU | null> {
  // no Node typings in the engine: it must type-check for pages and workers too
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  const isNode = typeof proc?.versions?.node === 'string';
  if (!isNode) return Promise.resolve(null);
  nodeGpu ??= (async () => {
    const specifier = 'webgpu';
    try {
      const mod = (await import(/* @vite-ignore */ specifier)) as { create(flags: string[]): GPU; globals: object };
      // GPUBufferUsage & co. as globals, like in a browser.
      for (const [k, v] of Object.entries(mod.globals)) {
        if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
      }
      return mod.create([]);
    } catch {
      return null;
    }
  })();
  return nodeGpu;
}

async function findGpu(opts: WebGpuInitOptions): Promise<GPU | null> {
  if (opts.gpu) return opts.gpu;
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  return gpuFromNode();
}

/** Resolves to a device, or null when this host has no usable WebGPU adapter. */
export async function requestWebGpuDevice(opts: WebGpuInitOptions = {}): Promise<WebGpuContext | null> {
  const gpu = await findGpu(opts);
  if (!gpu) return null;
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter(opts.powerPreference ? { powerPreference: opts.powerPreference } : undefined);
  } catch {
    return null;
  }
  if (!adapter) return null;
  const features = OPTIONAL_FEATURES.filter((f) => adapter.features.has(f));
  const requiredLimits: Record<string, number> = {};
  for (const name of WANTED_LIMITS) {
    const v = (adapter.limits as unknown as Record<string, number>)[name];
    if (typeof v === 'number') requiredLimits[name] = v;
  }
  const device = await adapter.requestDevice({ requiredFeatures: features as GPUFeatureName[], requiredLimits });
  // adapter.info is newer than some @webgpu/types releases
  const info = (adapter as GPUAdapter & { info: GPUAdapterInfo }).info;
  return {
    device,
    adapterInfo: { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description },
    features,
  };
}
