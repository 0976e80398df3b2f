// How long a reader waits for a shipped model on onnxruntime: cold (nothing in Cache Storage, so
// model.onnx comes over the network) and cached (fetch-cached.ts finds it in Cache Storage; a
// new session all the same). The runner drives the browser with its HTTP cache off, so "cold" is
// a real download, from the local dev server. The runtime's own start is measured apart.
import type { Ort } from '../../src/runtime/models/ort-web.ts';
import { loadShippedModel, type LoadedModel } from '../../src/runtime/models/load.ts';
import { median } from './timing.ts';

export interface LoadTimes {
  coldMs: number;
  cachedMs: number;
  repeats: number;
}

export async function clearCacheStorage(): Promise<void> {
  for (const key of await caches.keys()) await caches.delete(key);
}

/**
 * The first session on a runtime instantiates its wasm binary (fetch + compile): paid once per
 * page, so it is timed on its own, with the smallest model, and kept out of every model's load.
 */
export async function timeRuntimeStart(
  getOrt: () => Promise<Ort>,
  probeModel: string,
  options: Parameters<Ort['InferenceSession']['create']>[1] = { executionProviders: ['wasm'] },
): Promise<{ ort: Ort; ms: number }> {
  const t0 = performance.now();
  const ort = await getOrt();
  const bytes = new Uint8Array(await (await fetch(`/models/${probeModel}/model.onnx`)).arrayBuffer());
  const session = await ort.InferenceSession.create(bytes, options);
  const ms = performance.now() - t0;
  await session.release();
  return { ort, ms };
}

/** Medians over `repeats` cold/cached pairs; returns the last cached model, ready to run. */
export async function timeLoads(ort: Ort, name: string, repeats: number): Promise<{ times: LoadTimes; loaded: LoadedModel }> {
  const cold: number[] = [];
  const cached: number[] = [];
  let loaded: LoadedModel | null = null;
  for (let r = 0; r < repeats; r++) {
    await clearCacheStorage();
    const first = await loadShippedModel(ort, name);
    cold.push(first.loadMs);
    await first.session.release();
    if (loaded) await loaded.session.release();
    loaded = await loadShippedModel(ort, name);
    cached.push(loaded.loadMs);
  }
  return { times: { coldMs: median(cold), cachedMs: median(cached), repeats }, loaded: loaded! };
}
