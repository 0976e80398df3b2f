// The CPU backend's wasm tier beyond matmul (cpu-matmul.test.ts covers that): the encoder's
// output validates, the SIMD exp and erf agree with the JavaScript kernels (Math.exp, and the
// same erfc formula) over every float32 range including ±Inf, NaN, overflow and subnormal
// results; the exact SIMD kernels (+, −, ·, / in every broadcast the engine makes, neg, abs, sqrt,
// relu) give the JavaScript kernels' bits, NaN, ±Inf, ±0 and subnormals included; and the engine's
// ops give the same numbers on both tiers.
import { afterAll, describe, expect, it } from 'vitest';
import { UNARY_MIN, binaryWasm, elementwiseModuleBytes, matmulModuleBytes, setCpuTier, unaryWasm, wasmKernels } from '../../src/engine/backends/cpu-wasm.ts';
import { binaryKernel, erf, unaryKernel } from '../../src/engine/backends/cpu-kernels.ts';
import { collapseDims } from '../../src/engine/shape.ts';
import { Fn, assemble } from '../../src/engine/backends/wasm-asm.ts';
import * as T from '../../src/engine/index.ts';

afterAll(() => { setCpuTier('wasm'); });

describe('wasm encoder', () => {
  it('emits modules WebAssembly accepts, whose functions compute what they say', () => {
    for (const bytes of [matmulModuleBytes(), elementwiseModuleBytes()]) {
      expect(WebAssembly.validate(bytes)).toBe(true);
      // Chrome compiles modules under 4 KiB synchronously on a page's main thread, where widgets run
      expect(bytes.length).toBeLessThan(4096);
    }
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

  it("T.exp, T.gelu and softmax: the same bits on 'wasm-f64' and 'js', float32 rounding apart on 'wasm'", async () => {
    const run = async (tier: 'wasm' | 'wasm-f64' | 'js') => {
      expect(setCpuTier(tier)).toBe(tier);
      T.manualSeed(9);
      const a = T.randn([7, UNARY_MIN + 3]).mul(4);
      const outs = [T.exp(a), T.gelu(a), T.softmax(a, -1), T.logSoftmax(a, 0)];
      return Promise.all(outs.map((o) => o.data()));
    };
    const js = await run('js');
    expect(await run('wasm-f64')).toEqual(js);
    const wasm = await run('wasm');
    for (let k = 0; k < js.length; k++) {
      for (let i = 0; i < js[k].length; i++) {
        expect(Math.abs(wasm[k][i] - js[k][i]), `output ${k} [${i}]`).toBeLessThanOrEqual(1e-6 + 4e-7 * Math.abs(js[k][i]));
      }
    }
  });
});

describe('exact SIMD elementwise kernels', () => {
  const w = wasmKernels()!;
  const specials = [0, -0, 1, -1, NaN, Infinity, -Infinity, 1e-45, -1e-45, 1e-40, 3.4e38, -3.4e38, 1e-20, 7, 0.1];
  let seed = 5;
  const value = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed % 5 === 0 ? specials[seed % specials.length] : (seed / 2 ** 32 - 0.5) * 2 ** ((seed % 40) - 20);
  };
  const filled = (n: number) => Float32Array.from({ length: n }, value);
  const same = (got: Float32Array, want: Float32Array, what: string) => {
    for (let i = 0; i < want.length; i++) expect(Object.is(got[i], want[i]) || (Number.isNaN(got[i]) && Number.isNaN(want[i])), `${what} [${i}]: ${got[i]} vs ${want[i]}`).toBe(true);
  };

  // [shape, a's shape, b's shape]: same shape, odd sizes, a bias row, a per-row scalar, a whole scalar, both broadcast
  const cases: [number[], number[], number[]][] = [
    [[1], [1], [1]], [[7], [7], [7]], [[130, 70], [130, 70], [130, 70]], [[33, 5], [33, 5], [5]], [[33, 5], [33, 1], [33, 5]],
    [[9, 13], [9, 13], [9, 1]], [[9, 13], [1], [9, 13]], [[4, 3, 6], [4, 1, 6], [1, 3, 1]], [[3, 4, 5], [3, 4, 5], [4, 5]],
  ];
  const strides = (shape: number[], full: number[]) => {
    const s: number[] = new Array(full.length).fill(0);
    let acc = 1;
    for (let d = shape.length - 1, f = full.length - 1; d >= 0; d--, f--) { s[f] = shape[d] === 1 ? 0 : acc; acc *= shape[d]; }
    return s;
  };
  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);

  for (const op of ['add', 'sub', 'mul', 'div'] as const) {
    it(`${op}: the JavaScript kernel's bits in every broadcast the kernel takes`, () => {
      for (const [shape, as, bs] of cases) {
        const a = filled(size(as)), b = filled(size(bs));
        const p = { op, shape, aStrides: strides(as, shape), bStrides: strides(bs, shape) };
        const want = new Float32Array(size(shape));
        binaryKernel(a, b, want, p);
        const got = new Float32Array(want.length);
        const { shape: cs, strides: cst } = collapseDims(p.shape, [p.aStrides, p.bStrides]);
        const ran = binaryWasm(w, op, a, b, got, cs, cst);
        if (!ran) { expect(cs.length, `[${shape}] ${op} declined`).toBeGreaterThan(2); continue; }
        same(got, want, `${op} [${shape}] a [${as}] b [${bs}]`);
      }
    });
  }

  it('declines what it has no kernel for (pow, comparisons, 3 merged dims)', () => {
    const a = filled(8), o = new Float32Array(8);
    expect(binaryWasm(w, 'pow', a, a, o, [8], [[1], [1]])).toBe(false);
    expect(binaryWasm(w, 'lt', a, a, o, [8], [[1], [1]])).toBe(false);
    expect(binaryWasm(w, 'add', a, a, o, [2, 2, 2], [[4, 0, 1], [4, 2, 1]])).toBe(false);
  });

  for (const op of ['neg', 'abs', 'sqrt', 'relu'] as const) {
    it(`${op}: the JavaScript kernel's bits`, () => {
      const x = filled(1003);
      const want = new Float32Array(x.length), got = new Float32Array(x.length);
      unaryKernel(op, x, want);
      unaryWasm(w, op, x, got);
      same(got, want, op);
    });
  }
});
