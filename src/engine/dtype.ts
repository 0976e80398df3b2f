// Element types. bool is stored one byte per element (0 or 1).
export type DType = 'float32' | 'int32' | 'bool';
export type TypedArray = Float32Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

export function isDType(x: unknown): x is DType {
  return x === 'float32' || x === 'int32' || x === 'bool';
}

export function bytesPerElement(dtype: DType): number {
  return dtype === 'bool' ? 1 : 4;
}

export function allocTyped(dtype: DType, size: number): TypedArray {
  if (dtype === 'float32') return new Float32Array(size);
  if (dtype === 'int32') return new Int32Array(size);
  return new Uint8Array(size);
}

export function dtypeOfTyped(a: TypedArray): DType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Int32Array) return 'int32';
  return 'bool';
}

/** Common dtype of two dtypes (torch-like: float wins, then int; bool only with bool). */
export function promote(a: DType, b: DType): DType {
  if (a === 'float32' || b === 'float32') return 'float32';
  if (a === 'bool' && b === 'bool') return 'bool';
  return 'int32';
}

/** Dtype a JS scalar takes next to a tensor of dtype `other` (an int tensor + 0.5 is float). */
export function scalarDType(value: number | boolean, other: DType): DType {
  if (typeof value === 'boolean') return other === 'float32' ? 'float32' : other === 'int32' ? 'int32' : 'bool';
  if (other === 'float32') return 'float32';
  return Number.isInteger(value) ? 'int32' : 'float32';
}
