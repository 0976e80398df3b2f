// Shared helpers for engine tests: closeness checks and a finite-difference gradient checker.
import { expect } from 'vitest';
import { Generator, noGrad, tensor, tidy } from '../../src/engine/index.ts';
import type { Tensor } from '../../src/engine/index.ts';

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol = 1e-5, rtol = 1e-4, what = ''): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e)) { expect(Number.isNaN(a), `${what}[${i}]: expected NaN, got ${a}`).toBe(true); continue; }
    if (!Number.isFinite(e)) { expect(a, `${what}[${i}]`).toBe(e); continue; }
    const ok = Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok) throw new Error(`${what}[${i}]: got ${a}, expected ${e} (atol ${atol}, rtol ${rtol})`);
  }
}

/** Random float32 data in [lo, hi) from a seeded generator. */
export function randData(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const g = new Generator(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * g.random();
  return out;
}

export function randTensor(shape: number[], seed: number, lo = -1, hi = 1, requiresGrad = true): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(randData(n, seed, lo, hi), { shape, requiresGrad });
}

/**
 * Compare autograd's gradients of sum(f(inputs) * upstream) with central differences.
 * The weighted sum is taken in float64 in JS; only f itself runs in float32 in the engine.
 */
export async function gradCheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: Tensor[],
  opts: { eps?: number; atol?: number; rtol?: number; seed?: number; name?: string } = {},
): Promise<void> {
  const eps = opts.eps ?? 1e-2;
  const atol = opts.atol ?? 2e-3;
  const rtol = opts.rtol ?? 2e-2;
  const name = opts.name ?? 'gradCheck';
  const out = f(...inputs);
  const upstreamData = randData(out.size, opts.seed ?? 7, -1, 1);
  const upstream = tensor(upstreamData, { shape: [...out.shape] });
  out.backward(upstream);
  const weighted = async (xs: Tensor[]): Promise<number> => {
    const y = noGrad(() => f(...xs));
    const d = await y.data();
    y.dispose();
    let s = 0;
    for (let i = 0; i < d.length; i++) s += d[i] * upstreamData[i];
    return s;
  };
  for (let k = 0; k < inputs.length; k++) {
    const x = inputs[k];
    if (!x.requiresGrad) continue;
    expect(x.grad, `${name}: input ${k} has no grad`).not.toBeNull();
    const analytic = await x.grad!.data();
    const base = await x.data();
    const numeric = new Float64Array(base.length);
    for (let i = 0; i < base.length; i++) {
      const plus = Float32Array.from(base);
      const minus = Float32Array.from(base);
      plus[i] += eps;
      minus[i] -= eps;
      const xs = (p: Float32Array) => inputs.map((t, j) => (j === k ? tensor(p, { shape: [...x.shape] }) : t));
      const [xp, xm] = [xs(plus), xs(minus)];
      const fp = await weighted(xp);
      const fm = await weighted(xm);
      xp[k].dispose();
      xm[k].dispose();
      numeric[i] = (fp - fm) / (Number(plus[i]) - Number(minus[i]));
    }
    expectClose(analytic, numeric, atol, rtol, `${name}: d/d input ${k}`);
  }
  tidy(() => {
    out.dispose();
    upstream.dispose();
  });
}
