// Parameter initialisation like torch.nn.init, drawn from the engine's seeded generator.
// Each `name_` function overwrites the tensor's values (via assign, outside the graph) and
// returns it, mirroring torch's in-place initialisers.
import type { Tensor } from '../tensor.ts';
import { noGrad } from '../autograd.ts';
import { tensor } from '../ops/creation.ts';
import { defaultGenerator } from '../random.ts';
import type { Generator } from '../random.ts';

export interface InitOptions {
  generator?: Generator;
}

function overwrite(t: Tensor, data: Float32Array): Tensor {
  noGrad(() => {
    const v = tensor(data, { shape: t.shape });
    t.assign(v);
    v.dispose();
  });
  return t;
}

/** U(low, high). */
export function uniform_(t: Tensor, low = 0, high = 1, opts: InitOptions = {}): Tensor {
  const g = opts.generator ?? defaultGenerator;
  const data = new Float32Array(t.size);
  for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * g.random();
  return overwrite(t, data);
}

/** N(mean, std²). */
export function normal_(t: Tensor, mean = 0, std = 1, opts: InitOptions = {}): Tensor {
  const data = new Float32Array(t.size);
  (opts.generator ?? defaultGenerator).fillNormal(data, mean, std);
  return overwrite(t, data);
}

export function constant_(t: Tensor, value: number): Tensor {
  return overwrite(t, new Float32Array(t.size).fill(value));
}

export const zeros_ = (t: Tensor): Tensor => constant_(t, 0);
export const ones_ = (t: Tensor): Tensor => constant_(t, 1);

/** [fanIn, fanOut] of a weight: dim 1 × receptive field and dim 0 × receptive field. */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  if (t.ndim < 2) throw new Error(`init: fan in and fan out need a tensor with at least 2 dims, got ${t.ndim}`);
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

/**
 * Kaiming (He) uniform with leaky-ReLU slope `a` over fan-in: bound = gain·√(3/fanIn),
 * gain = √(2/(1+a²)). torch's nn.Linear uses a = √5, which gives bound = 1/√fanIn.
 */
export function kaimingUniform_(t: Tensor, opts: InitOptions & { a?: number } = {}): Tensor {
  const a = opts.a ?? 0;
  const [fanIn] = calculateFanInAndFanOut(t);
  const gain = Math.sqrt(2 / (1 + a * a));
  const bound = fanIn === 0 ? 0 : gain * Math.sqrt(3 / fanIn);
  return uniform_(t, -bound, bound, opts);
}

/** Xavier (Glorot) uniform: bound = gain·√(6/(fanIn+fanOut)). */
export function xavierUniform_(t: Tensor, opts: InitOptions & { gain?: number } = {}): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const bound = (opts.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -bound, bound, opts);
}
