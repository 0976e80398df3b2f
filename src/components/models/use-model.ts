// One load per model per page, shared by every widget that shows it; progress and errors as state.
import { useEffect, useState } from 'preact/hooks';
import type { Progress } from '../../runtime/models/fetch-cached.ts';
import { loadShippedModel, type LoadedModel, type Runner } from '../../runtime/models/load.ts';
import { loadOrt } from '../../runtime/models/ort-web.ts';
import type { OrtApi } from '../../runtime/models/session.ts';

const loads = new Map<string, Promise<LoadedModel>>();
const listeners = new Map<string, Set<(p: Progress) => void>>();

export function getModel(name: string): Promise<LoadedModel> {
  let p = loads.get(name);
  if (!p) {
    p = loadOrt()
      .then((ort) => loadShippedModel(ort as unknown as OrtApi, name, { onProgress: (pr) => listeners.get(name)?.forEach((l) => l(pr)) }))
      .catch((err: unknown) => {
        loads.delete(name); // a later widget (or a reload) may try again
        throw err;
      });
    loads.set(name, p);
  }
  return p;
}

export interface ModelState<R extends Runner> {
  model: LoadedModel<R> | null;
  /** Bytes of model.onnx so far and the total (null until known). */
  progress: { loaded: number; total: number | null } | null;
  error: string | null;
}

export function useModel<R extends Runner>(name: string): ModelState<R> {
  const [state, setState] = useState<ModelState<R>>({ model: null, progress: null, error: null });
  useEffect(() => {
    let live = true;
    setState({ model: null, progress: null, error: null });
    const onProgress = (p: Progress): void => {
      if (live) setState((s) => (s.model ? s : { ...s, progress: { loaded: p.loaded, total: p.total } }));
    };
    if (!listeners.has(name)) listeners.set(name, new Set());
    listeners.get(name)!.add(onProgress);
    getModel(name).then(
      (model) => live && setState({ model: model as LoadedModel<R>, progress: null, error: null }),
      (err: unknown) => live && setState({ model: null, progress: null, error: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      live = false;
      listeners.get(name)?.delete(onProgress);
    };
  }, [name]);
  return state;
}
