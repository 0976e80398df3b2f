// Reading the PyTorch fixtures (tests/fixtures/torch/*.json) for the nn, optim and models tests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tensor } from '../../src/engine/index.ts';
import type { Tensor } from '../../src/engine/index.ts';

export type JsonNumber = number | 'inf' | '-inf' | 'nan';
export interface TensorJson {
  shape: number[];
  dtype?: 'float32' | 'int64' | 'bool';
  data: JsonNumber[];
}

export function num(v: JsonNumber): number {
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (v === 'nan') return NaN;
  return v;
}

export function floats(j: TensorJson): Float64Array {
  return Float64Array.from(j.data, num);
}

/** float32 / int64 (as int32) / bool tensor from the fixture JSON. */
export function toTensor(j: TensorJson, requiresGrad = false): Tensor {
  const dtype = j.dtype ?? 'float32';
  if (dtype === 'bool') return tensor(Uint8Array.from(j.data as number[]), { shape: j.shape, dtype: 'bool' });
  if (dtype === 'int64') return tensor(Int32Array.from(j.data as number[]), { shape: j.shape, dtype: 'int32' });
  return tensor(Float32Array.from(j.data, num), { shape: j.shape, requiresGrad });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Case = Record<string, any>;

export function loadCases(group: 'modules' | 'models' | 'optim'): Case[] {
  const path = fileURLToPath(new URL(`../fixtures/torch/${group}.json`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')).cases as Case[];
}

export function camel(s: string): string {
  return s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** torch kwargs → the engine's camelCase options. */
export function camelKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [camel(k), v]));
}

/** A fixture state_dict as the plain { shape, data } values loadStateDict accepts. */
export function stateDictJson(sd: Record<string, TensorJson>): Record<string, { shape: number[]; data: Float64Array }> {
  return Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, { shape: v.shape, data: floats(v) }]));
}
