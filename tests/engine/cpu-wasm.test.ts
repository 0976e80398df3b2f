// The CPU backend's wasm tier beyond matmul (cpu-matmul.test.ts covers that): the encoder's
// output validates, the SIMD exp and erf agree with the JavaScript kernels (Math.exp, and the
// same erfc formula) over every float32 range including ±Inf, NaN, overflow and subnormal
// results, and the engine's ops give the same numbers on both tiers.
import { afterAll, describe, expect, it } from 'vitest';
import { erf } from '../../src/engine/backends/cpu-kernels.ts';
import { UNARY_MIN, kernelModuleBytes, setCpuTier, unaryWasm, wasmKernels } from '../../src/engine/backends/cpu-wasm.ts';
import { Fn, assemble } from '../../src/engine/backends/wasm-asm.ts';
import * as T from '../../src/engine/index.ts';

afterAll(() => { setCpuTier('wasm'); });

describe('wasm encoder', () => {
  it('emits modules WebAssembly accepts, whose functions compute what they say', () => {
    expect(WebAssembly.validate(kernelModuleBytes())).toBe(true);
    const f = new Fn('madd', [['a', 'i32'], ['b', 'i32']], ['i32']);
    f.local('t', 'i32').get('a').get('b').i32Mul().i32(-7).i32Add().tee('t');
    const memory = new WebAssembly.Memory({ initial: 1 });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(assemble([f])), { env: { memory } });
    expect((inst.exports.madd as (a: number, b: number) => number)(300, 5)).toBe(1493);
  });

  it('refuses a local it does not know', () => {
    expect(() => new Fn('f', []).get('nope')).toThrow(/unknown local 'nope'/);
  });
});

describe('wasm exp and erf', () => {
  const edges = [0, -0, 1, -1, 0.5, 1e-3, -1e-3, 1e-7, 88.7, 88.72, 88.73, 89, 100, -87.3, -87.4, -100, -103.9, -104, -200,
    Infinity, -Infinity, NaN, 10, -10, 3, -3, 20, -20, 1e30, -1e30];
  const x = new Float32Array(edges.length + 4001);
  x.set(edges);
  for (let i = 0; i < 4001; i++) x[edges.length + i] = -110 + (220 * i) / 4000; // odd length: a partial last vector
  const w = wasmKernels();

  it('the tier is there in Node 22', () => expect(w).not.toBeNull());

  it('exp: within 2 ulp of Math.exp where the result is normal, exact 0 / Inf / NaN at the ends', () => {
    const out = new Float32Array(x.length);
    unaryWasm(w!, 'exp', x, out);
    for (let i = 0; i < x.length; i++) {
      const want = Math.fround(Math.exp(x[i]));
      if (Number.isNaN(want) || want === Infinity || want === 0) { expect(out[i], `exp(${x[i]})`).toBe(want); continue; }
      // normal results to 2 ulp (≤ 12 ulp within 0.1% of overflow, where n·ln 2 is largest); subnormal to 2⁻¹⁴⁹
      const tol = want < 1.2e-38 ? 2 ** -148 : Math.abs(want) * 2 ** -23 * (want > 1e38 ? 12 : 2);
      expect(Math.abs(out[i] - want), `exp(${x[i]}) = ${out[i]}, want ${want}`).toBeLessThanOrEqual(tol);
    }
  });

  it('erf: within 4e-7 of the JavaScript kernel, ±1 at the tails, NaN for NaN', () => {
    const out = new Float32Array(x.length);
    unaryWasm(w!, 'erf', x, out);
    for (let i = 0; i < x.length; i++) {
      const want = Math.fround(erf(x[i]));
      if (Number.isNaN(want)) { expect(out[i]).toBeNaN(); continue; }
      expect(Math.abs(out[i] - want), `erf(${x[i]}) = ${out[i]}, want ${want}`).toBeLessThanOrEqual(4e-7);
    }
  });

  it("T.exp, T.gelu and softmax: the same bits on 'wasm' and 'js', float32 rounding apart on 'wasm-f32'", async () => {
    const run = async (tier: 'wasm' | 'wasm-f32' | 'js') => {
      expect(setCpuTier(tier)).toBe(tier);
      T.manualSeed(9);
      const a = T.randn([7, UNARY_MIN + 3]).mul(4);
      const outs = [T.exp(a), T.gelu(a), T.softmax(a, -1), T.logSoftmax(a, 0)];
      return Promise.all(outs.map((o) => o.data()));
    };
    const js = await run('js');
    expect(await run('wasm')).toEqual(js);
    const wasm = await run('wasm-f32');
    for (let k = 0; k < js.length; k++) {
      for (let i = 0; i < js[k].length; i++) {
        expect(Math.abs(wasm[k][i] - js[k][i]), `output ${k} [${i}]`).toBeLessThanOrEqual(1e-6 + 4e-7 * Math.abs(js[k][i]));
      }
    }
  });
});
