/**
 * What the model runners need from onnxruntime: a session and the Tensor constructor. Pages pass
 * `onnxruntime-web/wasm` (see ort-web.ts); Node tests pass `onnxruntime-web`'s Node build.
 */
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-web/wasm';

export interface OrtApi {
  Tensor: typeof OrtTensor;
  InferenceSession: { create(model: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession> };
}

export type Session = InferenceSession;

/** Where a model's graph runs: onnxruntime's wasm (CPU) provider, or its WebGPU provider. */
export type ModelProvider = 'wasm' | 'webgpu';

/** Per-head attention of one example: data is [layers, heads, rows, cols], row-major. */
export interface AttentionMaps {
  layers: number;
  heads: number;
  rows: number;
  cols: number;
  data: Float32Array;
}

export function int64(ort: OrtApi, ids: readonly number[], shape: readonly number[]): OrtTensor {
  return new ort.Tensor('int64', BigInt64Array.from(ids, (v) => BigInt(v)), shape);
}

/** (L, B=1, H, R, C) graph output → AttentionMaps. */
export function attentionOf(t: OrtTensor): AttentionMaps {
  const [layers, batch, heads, rows, cols] = t.dims as number[];
  if (batch !== 1) throw new Error(`attention output has batch ${batch}; the runners run one example at a time`);
  return { layers: layers!, heads: heads!, rows: rows!, cols: cols!, data: t.data as Float32Array };
}

/** Row `row` of a (1, T, V) logits tensor. */
export function logitsRow(t: OrtTensor, row: number): Float32Array {
  const [, , v] = t.dims as number[];
  return (t.data as Float32Array).subarray(row * v!, (row + 1) * v!);
}

export async function run(session: Session, feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>> {
  return (await session.run(feeds)) as Record<string, OrtTensor>;
}
