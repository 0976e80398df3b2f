// Shape helpers shared by ops: sizes, strides, dim normalisation, broadcasting.
export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function fmtShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Error whose message starts with the op name, e.g. `matmul: inner dimensions differ ...`. */
export function opError(op: string, message: string): Error {
  return new Error(`${op}: ${message}`);
}

/** Normalise a possibly negative dim for a tensor of rank `ndim`; throws naming the op. */
export function normDim(op: string, dim: number, ndim: number, allowEnd = false): number {
  const limit = allowEnd ? ndim + 1 : ndim;
  if (!Number.isInteger(dim)) throw opError(op, `dim must be an integer, got ${dim}`);
  const d = dim < 0 ? dim + limit : dim;
  if (d < 0 || d >= limit || (limit === 0 && !allowEnd)) {
    throw opError(op, `dim ${dim} out of range for a ${ndim}-D tensor (expected ${-Math.max(limit, 1)}..${Math.max(limit, 1) - 1})`);
  }
  return d;
}

/** Normalise a list of dims (undefined = all dims), sorted, rejecting repeats. */
export function normDims(op: string, dims: number | readonly number[] | undefined, ndim: number): number[] {
  if (dims === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dims === 'number' ? [dims] : [...dims];
  if (ndim === 0) {
    // torch lets a 0-d tensor reduce over dim 0 / -1
    for (const d of list) if (d !== 0 && d !== -1) throw opError(op, `dim ${d} out of range for a 0-D tensor`);
    return [];
  }
  const out = list.map((d) => normDim(op, d, ndim));
  if (new Set(out).size !== out.length) throw opError(op, `dim ${JSON.stringify(list)} has a repeated dim`);
  return out.sort((a, b) => a - b);
}

export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  // Most elementwise ops meet equal shapes: skip the general walk.
  if (shapes.length === 2 && shapesEqual(shapes[0], shapes[1])) return [...shapes[0]];
  const ndim = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = ndim - s.length + i;
      const d = s[i];
      if (out[o] === 1) out[o] = d;
      else if (d !== 1 && d !== out[o]) {
        throw opError(op, `shapes ${shapes.map(fmtShape).join(' and ')} cannot broadcast`);
      }
    }
  }
  return out;
}

/** Strides for reading a tensor of `shape` as if broadcast to `outShape` (0 on broadcast dims). */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const strides = stridesOf(shape);
  const out = new Array<number>(outShape.length).fill(0);
  const off = outShape.length - shape.length;
  for (let i = 0; i < shape.length; i++) out[off + i] = shape[i] === 1 && outShape[off + i] !== 1 ? 0 : strides[i];
  return out;
}

export function checkShape(op: string, shape: Shape): number[] {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw opError(op, `invalid shape ${fmtShape(shape)}: sizes must be non-negative integers`);
  }
  return [...shape];
}

/**
 * A strided walk over `shape` (one stride set per operand) over fewer dims, for the backends'
 * kernels: size-1 dims dropped, and neighbours merged where every operand steps through them as
 * one (stride[d] = stride[d + 1]·shape[d + 1]); a contiguous output always does. A
 * [B, H, T, T] ⊙ [B, H, T, 1] broadcast becomes [B·H·T, T] with strides [1, 0]: two plain loops
 * (CPU) or a rank-2 index (WebGPU) instead of four. At least one dim remains ([1], strides 0).
 */
export function collapseDims(shape: readonly number[], strideSets: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strideSets.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strideSets.every((st, i) => outStrides[i][last] === st[d] * shape[d])) {
      outShape[last] *= shape[d];
      strideSets.forEach((st, i) => { outStrides[i][last] = st[d]; });
    } else {
      outShape.push(shape[d]);
      strideSets.forEach((st, i) => outStrides[i].push(st[d]));
    }
  }
  if (outShape.length === 0) { outShape.push(1); outStrides.forEach((st) => st.push(0)); }
  return { shape: outShape, strides: outStrides };
}
