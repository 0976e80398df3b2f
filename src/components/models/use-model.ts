// One load per model and provider per page, shared by every widget that shows it; progress and
// errors as state. The provider is the page's choice (model-provider.ts).
import { useEffect, useState } from 'preact/hooks';
import type { Progress } from '../../runtime/models/fetch-cached.ts';
import { loadShippedModel, ModelLoadError, type LoadedModel, type Runner } from '../../runtime/models/load.ts';
import { loadOrt, modelGpuDevice } from '../../runtime/models/ort-web.ts';
import type { ModelProvider, OrtApi } from '../../runtime/models/session.ts';
import { useModelProvider } from './model-provider.ts';

const loads = new Map<string, Promise<LoadedModel>>();
const listeners = new Map<string, Set<(p: Progress) => void>>();

async function gpuDeviceFor(name: string): Promise<GPUDevice> {
  try {
    return await modelGpuDevice();
  } catch (err) {
    throw new ModelLoadError(name, `cannot run on WebGPU: ${(err as Error).message}; run the models on the CPU instead`, { cause: err });
  }
}

export function getModel(name: string, provider: ModelProvider = 'wasm'): Promise<LoadedModel> {
  const key = `${provider}:${name}`;
  let p = loads.get(key);
  if (!p) {
    p = Promise.all([loadOrt(provider), provider === 'webgpu' ? gpuDeviceFor(name) : undefined])
      .then(([ort, gpuDevice]) =>
        loadShippedModel(ort as unknown as OrtApi, name, { onProgress: (pr) => listeners.get(key)?.forEach((l) => l(pr)), ...(gpuDevice ? { gpuDevice } : {}) }),
      )
      .catch((err: unknown) => {
        loads.delete(key); // a later widget (or a reload) may try again
        throw err;
      });
    loads.set(key, p);
  }
  return p;
}

export interface ModelState<R extends Runner> {
  model: LoadedModel<R> | null;
  /** Bytes of model.onnx so far and the total (null until known). */
  progress: { loaded: number; total: number | null } | null;
  error: string | null;
  /** The provider this state is (being) loaded with. */
  provider: ModelProvider;
}

export function useModel<R extends Runner>(name: string): ModelState<R> {
  const provider = useModelProvider();
  const [state, setState] = useState<ModelState<R>>({ model: null, progress: null, error: null, provider: provider ?? 'wasm' });
  useEffect(() => {
    if (!provider) return; // not known until hydrated: loading now could fetch the wrong runtime
    let live = true;
    const key = `${provider}:${name}`;
    setState({ model: null, progress: null, error: null, provider });
    const onProgress = (p: Progress): void => {
      if (live) setState((s) => (s.model ? s : { ...s, progress: { loaded: p.loaded, total: p.total } }));
    };
    if (!listeners.has(key)) listeners.set(key, new Set());
    listeners.get(key)!.add(onProgress);
    getModel(name, provider).then(
      (model) => live && setState({ model: model as LoadedModel<R>, progress: null, error: null, provider }),
      (err: unknown) => live && setState({ model: null, progress: null, error: err instanceof Error ? err.message : String(err), provider }),
    );
    return () => {
      live = false;
      listeners.get(key)?.delete(onProgress);
    };
  }, [name, provider]);
  // For one render after the name or provider changes, the state still holds the previous model.
  const current = state.model && state.model.name === name && state.model.provider === provider;
  return current || !state.model ? state : { model: null, progress: null, error: null, provider: provider ?? 'wasm' };
}
