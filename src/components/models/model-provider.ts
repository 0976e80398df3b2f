// Where the page's model widgets run their graphs: onnxruntime's wasm provider by default, its
// WebGPU provider when the reader picks it (remembered in this browser) or the address asks for
// it with `?models=webgpu` (a slide can). One choice per page: every widget follows it.
import { useEffect, useState } from 'preact/hooks';
import type { ModelProvider } from '../../runtime/models/session.ts';

const STORAGE_KEY = 'attention-lab-model-provider';
const listeners = new Set<(p: ModelProvider) => void>();
let chosen: ModelProvider | null = null;

const isProvider = (v: unknown): v is ModelProvider => v === 'wasm' || v === 'webgpu';

/** Whether this browser exposes WebGPU at all (an adapter may still be missing). */
export function browserHasWebGpu(): boolean {
  return typeof navigator !== 'undefined' && Boolean((navigator as { gpu?: unknown }).gpu);
}

export function modelProvider(): ModelProvider {
  if (chosen) return chosen;
  if (typeof location === 'undefined') return 'wasm';
  const fromUrl = new URLSearchParams(location.search).get('models');
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // storage blocked (embedded in a strict iframe): the default it is
  }
  chosen = isProvider(fromUrl) ? fromUrl : isProvider(stored) ? stored : 'wasm';
  return chosen;
}

export function setModelProvider(p: ModelProvider): void {
  chosen = p;
  try {
    localStorage.setItem(STORAGE_KEY, p);
  } catch {
    // not remembered, still applied to this page
  }
  for (const l of listeners) l(p);
}

/** The page's provider (null until known: the server render has no choice), re-rendering on a switch. */
export function useModelProvider(): ModelProvider | null {
  const [p, setP] = useState<ModelProvider | null>(null);
  useEffect(() => {
    setP(modelProvider());
    listeners.add(setP);
    return () => void listeners.delete(setP);
  }, []);
  return p;
}
