// Loads shipped models in Node: files from public/models, onnxruntime-web's Node build (wasm EP).
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { loadShippedModel, type LoadedModel } from '../../src/runtime/models/load.ts';
import type { OrtApi } from '../../src/runtime/models/session.ts';
import * as T from '../../src/engine/index.ts';

export const MODELS_DIR = fileURLToPath(new URL('../../public/models', import.meta.url));

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

export const nodeOrt = ort as unknown as OrtApi;

export function hasModel(name: string): boolean {
  return existsSync(`${MODELS_DIR}/${name}/model.onnx`);
}

export async function loadFromDisk(name: string): Promise<LoadedModel> {
  const path = (url: string): string => url.split('?')[0]!;
  return loadShippedModel(nodeOrt, name, {
    baseUrl: MODELS_DIR,
    fetchText: (url) => readFile(path(url), 'utf8'),
    fetchBytes: async (url) => new Uint8Array(await readFile(path(url))),
  });
}

/** Largest |a - b| over two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Token ids as an int32 batch of one, [1, n]. */
export function ids2d(ids: number[]): T.Tensor {
  return T.tensor(Int32Array.from(ids), { shape: [1, ids.length], dtype: 'int32' });
}

/** Every tensor's values, one after another (to compare a list of outputs at once). */
export async function flat(ts: T.Tensor[]): Promise<Float32Array> {
  const parts = await Promise.all(ts.map((t) => t.data() as Promise<Float32Array>));
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
