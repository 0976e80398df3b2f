// Checks shared by the whole models.
import type { Tensor } from '../tensor.ts';
import { fmtShape } from '../shape.ts';
import { hostData } from '../primitives.ts';

/** Token ids must be int32 [B, T] (T ≥ 1) and within the vocabulary (checked on host backends). */
export function checkIds(model: string, what: string, ids: Tensor, vocabSize: number): void {
  if (ids.dtype !== 'int32') throw new Error(`${model}: ${what} must be int32 token ids, got ${ids.dtype} (use .int())`);
  if (ids.ndim !== 2 || ids.shape[1] < 1) throw new Error(`${model}: ${what} must be [batch, seq] with seq ≥ 1, got ${fmtShape(ids.shape)}`);
  const data = hostData(ids);
  if (!data) return;
  for (let i = 0; i < data.length; i++) {
    if (data[i] < 0 || data[i] >= vocabSize) throw new Error(`${model}: ${what} contains token id ${data[i]}, outside the vocabulary [0, ${vocabSize})`);
  }
}

/** A bool [B, T] padding mask for ids [B, T]. */
export function checkPaddingMask(model: string, what: string, mask: Tensor, ids: Tensor): void {
  if (mask.dtype !== 'bool' || mask.ndim !== 2 || mask.shape[0] !== ids.shape[0] || mask.shape[1] !== ids.shape[1]) {
    throw new Error(`${model}: ${what} must be bool ${fmtShape(ids.shape)} (true = padding), got ${mask.dtype} ${fmtShape(mask.shape)}`);
  }
}
