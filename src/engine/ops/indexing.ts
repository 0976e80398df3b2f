// Index-driven ops: gather, scatterAdd, indexSelect, embedding, oneHot.
import { fmtShape, normDim, opError } from '../shape.ts';
import { Tensor } from '../tensor.ts';
import { castP, checkIndexRange, gatherP, hostData, reshapeP, scatterAddP } from '../primitives.ts';
import { tidy } from '../memory.ts';
import { arange } from './creation.ts';
import { eq, where } from './elementwise.ts';
import { detach } from './nn-functional.ts';
import { expand, slice, unsqueeze } from './shape-ops.ts';

function live(op: string, x: Tensor): void {
  if (!(x instanceof Tensor)) throw opError(op, `expected a Tensor, got ${x === null ? 'null' : typeof x}`);
  x._assertLive(op);
}

function checkIndexDtype(op: string, index: Tensor): void {
  if (index.dtype !== 'int32') throw opError(op, `index must be an int32 tensor, got ${index.dtype} (use .int())`);
}

/**
 * Throw if any index is outside [0, size): at once where the host has the values, else at the
 * next read on a device that checks them (WebGPU). `what` names the dim, e.g. "dim 1 of size 5".
 */
function checkIndexValues(op: string, index: Tensor, size: number, what: string, allowNegative = false): void {
  checkIndexRange(index, {
    low: allowNegative ? -size : 0, high: size, skip: null,
    message: (v) => `${op}: index ${v} out of range for ${what}`,
  });
}

/** out[i][j] = x[i][index[i][j]] (dim 1), etc. index has x's rank and fits inside x off dim. */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  live('gather', x);
  live('gather', index);
  checkIndexDtype('gather', index);
  const d = normDim('gather', dim, Math.max(x.ndim, 1));
  if (index.ndim !== x.ndim) {
    throw opError('gather', `index ${fmtShape(index.shape)} must have the same number of dims as the input ${fmtShape(x.shape)}`);
  }
  for (let i = 0; i < x.ndim; i++) {
    if (i !== d && index.shape[i] > x.shape[i]) {
      throw opError('gather', `index ${fmtShape(index.shape)} is larger than the input ${fmtShape(x.shape)} in dim ${i}`);
    }
  }
  checkIndexValues('gather', index, x.shape[d], `dim ${d} of size ${x.shape[d]}`);
  return gatherP(x, d, index);
}

/** Copy of x with src values added at index positions along dim (torch.scatter_add). */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  live('scatterAdd', x);
  live('scatterAdd', index);
  live('scatterAdd', src);
  checkIndexDtype('scatterAdd', index);
  const d = normDim('scatterAdd', dim, Math.max(x.ndim, 1));
  if (index.ndim !== x.ndim || src.ndim !== x.ndim) {
    throw opError('scatterAdd', `input ${fmtShape(x.shape)}, index ${fmtShape(index.shape)} and src ${fmtShape(src.shape)} must have the same number of dims`);
  }
  for (let i = 0; i < x.ndim; i++) {
    if (index.shape[i] > src.shape[i] || (i !== d && index.shape[i] > x.shape[i])) {
      throw opError('scatterAdd', `index ${fmtShape(index.shape)} must fit inside src ${fmtShape(src.shape)} and, off dim ${d}, inside the input ${fmtShape(x.shape)}`);
    }
  }
  checkIndexValues('scatterAdd', index, x.shape[d], `dim ${d} of size ${x.shape[d]}`);
  return tidy(() => {
    let s = src.dtype === x.dtype ? src : castP(src, x.dtype);
    // torch lets src be larger than index; only the part the index covers is used
    for (let i = 0; i < x.ndim; i++) if (s.shape[i] !== index.shape[i]) s = slice(s, i, 0, index.shape[i]);
    return scatterAddP(x, d, index, s);
  });
}

/** Rows (or slices along dim) picked by a 1-D int32 index. */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  live('indexSelect', x);
  live('indexSelect', index);
  checkIndexDtype('indexSelect', index);
  if (index.ndim > 1) throw opError('indexSelect', `index must be 0-D or 1-D, got ${fmtShape(index.shape)}`);
  const d = normDim('indexSelect', dim, Math.max(x.ndim, 1));
  checkIndexValues('indexSelect', index, x.shape[d], `dim ${d} of size ${x.shape[d]}`);
  const m = index.size;
  return tidy(() => {
    const idxShape = x.shape.map((s, i) => (i === d ? m : s));
    const viewShape = x.shape.map((_, i) => (i === d ? m : 1));
    const idx = expand(reshapeP(index, viewShape), idxShape);
    return gatherP(x, d, idx);
  });
}

export interface EmbeddingOptions {
  /** Rows looked up with this index get no gradient (torch padding_idx; negative counts from the end). */
  paddingIdx?: number | null;
}

/** Embedding lookup: weight [V, C], indices of any shape → [...indices.shape, C]. */
export function embedding(indices: Tensor, weight: Tensor, opts: EmbeddingOptions = {}): Tensor {
  live('embedding', indices);
  live('embedding', weight);
  checkIndexDtype('embedding', indices);
  if (weight.ndim !== 2) throw opError('embedding', `weight must be 2-D [numEmbeddings, dim], got ${fmtShape(weight.shape)}`);
  checkIndexValues('embedding', indices, weight.shape[0], `numEmbeddings ${weight.shape[0]}`);
  const V = weight.shape[0];
  let pad = opts.paddingIdx ?? null;
  if (pad !== null) {
    if (!Number.isInteger(pad) || pad < -V || pad >= V) throw opError('embedding', `paddingIdx ${pad} out of range for numEmbeddings ${V}`);
    if (pad < 0) pad += V;
  }
  return tidy(() => {
    const out = reshapeP(indexSelect(weight, 0, reshapeP(indices, [indices.size])), [...indices.shape, weight.shape[1]]);
    if (pad === null) return out;
    // same values, but the padding rows are cut out of the graph
    return where(unsqueeze(eq(indices, pad), -1), detach(out), out);
  });
}

/** One-hot int32 encoding with a new last dim of numClasses (-1: max index + 1). */
export function oneHot(indices: Tensor, numClasses = -1): Tensor {
  live('oneHot', indices);
  checkIndexDtype('oneHot', indices);
  let c = numClasses;
  if (c === -1) {
    const data = hostData(indices);
    if (!data) throw opError('oneHot', 'numClasses must be given explicitly on this backend');
    c = 0;
    for (let i = 0; i < data.length; i++) c = Math.max(c, data[i] + 1);
  }
  if (!Number.isInteger(c) || c < 0) throw opError('oneHot', `numClasses must be a non-negative integer, got ${numClasses}`);
  checkIndexValues('oneHot', indices, c, `numClasses ${c}`);
  return tidy(() => castP(eq(unsqueeze(indices, -1), arange(c)), 'int32'));
}
