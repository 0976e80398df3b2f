// Every WebGPU kernel against the CPU reference backend on random inputs: awkward and empty
// shapes, broadcasting and strided operands, NaN/Inf. Elementwise results must match to a
// normalised error of 1e-6 (|gpu − cpu| / max(1, |cpu|)), matmul to 5e-4, sums to 1e-5.
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { BackendBuffer, KernelName, KernelParams } from '../../src/engine/backend.ts';
import { CpuBackend } from '../../src/engine/backends/cpu.ts';
import type { DType, TypedArray } from '../../src/engine/dtype.ts';
import { webgpuForTests } from './webgpu-helpers.ts';

const gpu = await webgpuForTests('webgpu.test.ts');
const cpu = new CpuBackend();
afterAll(() => gpu?.destroy());

let seed = 12345;
function rand(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
}

const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 1e30, -1e-30];

function randomData(dtype: DType, n: number, opts: { specials?: boolean; lo?: number; hi?: number } = {}): TypedArray {
  const lo = opts.lo ?? -3, hi = opts.hi ?? 3;
  if (dtype === 'bool') return Uint8Array.from({ length: n }, () => (rand() < 0.5 ? 1 : 0));
  if (dtype === 'int32') return Int32Array.from({ length: n }, () => Math.floor(lo * 3 + (hi - lo) * 3 * rand()));
  const a = Float32Array.from({ length: n }, () => lo + (hi - lo) * rand());
  if (opts.specials) for (let i = 0; i < n; i += 5) a[i] = SPECIALS[(i / 5) % SPECIALS.length];
  return a;
}

interface OutSpec { dtype: DType; size: number; init?: TypedArray }

/** Run one kernel on both backends; returns [gpu, cpu] outputs. */
async function both<K extends KernelName>(kernel: K, inputs: TypedArray[], out: OutSpec, params: KernelParams[K]): Promise<[TypedArray, TypedArray]> {
  const g = gpu!;
  const dtypeOf = (a: TypedArray): DType => (a instanceof Float32Array ? 'float32' : a instanceof Int32Array ? 'int32' : 'bool');
  const upload = (b: typeof g | CpuBackend, a: TypedArray): BackendBuffer => { const buf = b.alloc(dtypeOf(a), a.length); b.write(buf, a); return buf; };
  const gi = inputs.map((a) => upload(g, a));
  const ci = inputs.map((a) => upload(cpu, a));
  const go = g.alloc(out.dtype, out.size);
  const co = cpu.alloc(out.dtype, out.size);
  if (out.init) { g.write(go, out.init); cpu.write(co, out.init); }
  g.run(kernel, gi, [go], params);
  cpu.run(kernel, ci, [co], params);
  const result: [TypedArray, TypedArray] = [await g.read(go), await cpu.read(co)];
  for (const b of [...gi, go]) g.free(b);
  return result;
}

function expectMatch(got: TypedArray, want: TypedArray, tol: number, what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  let worst = 0, at = -1;
  for (let i = 0; i < want.length; i++) {
    const a = got[i], e = want[i];
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (Number.isNaN(e) !== Number.isNaN(a)) throw new Error(`${what}[${i}]: got ${a}, expected ${e}`);
      continue;
    }
    if (!Number.isFinite(e) || !Number.isFinite(a)) {
      if (a !== e) throw new Error(`${what}[${i}]: got ${a}, expected ${e}`);
      continue;
    }
    const err = Math.abs(a - e) / Math.max(1, Math.abs(e));
    if (err > worst) { worst = err; at = i; }
  }
  if (worst > tol) throw new Error(`${what}: normalised error ${worst.toExponential(2)} at [${at}] (got ${got[at]}, expected ${want[at]}) > ${tol}`);
}

const stridesOf = (shape: number[]): number[] => {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) { s[d] = acc; acc *= shape[d]; }
  return s;
};
const sizeOf = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const bcastStrides = (shape: number[], to: number[]): number[] => {
  const s = stridesOf(shape);
  const lead = to.length - shape.length;
  return to.map((_, d) => (d < lead || shape[d - lead] === 1 ? 0 : s[d - lead]));
};

const DTYPES: DType[] = ['float32', 'int32', 'bool'];
const SIZES = [0, 1, 7, 33, 1000];

describe.skipIf(!gpu)('webgpu kernels vs cpu', () => {
  describe('fill', () => {
    for (const dtype of DTYPES) for (const size of SIZES) {
      it(`${dtype} × ${size}`, async () => {
        const value = dtype === 'bool' ? 1 : dtype === 'int32' ? -7 : -2.5;
        const [g, c] = await both('fill', [], { dtype, size }, { value });
        expectMatch(g, c, 0, 'fill');
      });
    }
    it('float32 NaN and -Infinity', async () => {
      for (const value of [NaN, -Infinity]) {
        const [g, c] = await both('fill', [], { dtype: 'float32', size: 9 }, { value });
        expectMatch(g, c, 0, `fill ${value}`);
      }
    });
  });

  describe('cast', () => {
    for (const from of DTYPES) for (const to of DTYPES) {
      it(`${from} → ${to}`, async () => {
        const x = randomData(from, 333, { specials: true, lo: -1e3, hi: 1e3 });
        const [g, c] = await both('cast', [x], { dtype: to, size: x.length }, {});
        expectMatch(g, c, 0, `cast ${from}→${to}`);
      });
    }
  });

  describe('unary', () => {
    const floatOps = ['neg', 'exp', 'log', 'sqrt', 'abs', 'tanh', 'sigmoid', 'relu', 'sin', 'cos', 'erf', 'sign', 'isinf', 'isnan', 'not'] as const;
    for (const op of floatOps) {
      it(`float32 ${op} (with NaN/±Inf/±0)`, async () => {
        const x = randomData('float32', 1000, { specials: true, lo: -8, hi: 8 });
        // WGSL leaves trig of huge arguments to the implementation; keep them to |x| < 1e5
        if (op === 'sin' || op === 'cos') x.forEach((v, i) => { if (Math.abs(v) > 1e5 && Number.isFinite(v)) x[i] = 1e4 + i; });
        const outDtype: DType = op === 'isinf' || op === 'isnan' || op === 'not' ? 'bool' : 'float32';
        const [g, c] = await both('unary', [x], { dtype: outDtype, size: x.length }, { op });
        expectMatch(g, c, 1e-6, `unary ${op}`);
      });
    }
    for (const op of ['neg', 'abs', 'sign', 'relu', 'exp', 'not', 'isnan'] as const) {
      it(`int32 ${op}`, async () => {
        const x = randomData('int32', 257, { lo: -4, hi: 4 });
        const outDtype: DType = op === 'isnan' || op === 'not' ? 'bool' : 'int32';
        const [g, c] = await both('unary', [x], { dtype: outDtype, size: x.length }, { op });
        expectMatch(g, c, 1e-6, `unary int ${op}`);
      });
    }
    it('bool not', async () => {
      const x = randomData('bool', 65);
      const [g, c] = await both('unary', [x], { dtype: 'bool', size: x.length }, { op: 'not' });
      expectMatch(g, c, 0, 'not');
    });
  });

  describe('binary', () => {
    const ops = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or'] as const;
    const compare = new Set<string>(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or']);
    const layouts: { name: string; a: number[]; b: number[] }[] = [
      { name: 'same [33]', a: [33], b: [33] },
      { name: 'scalar []', a: [], b: [] },
      { name: 'broadcast [7,1,33]+[5,1]', a: [7, 1, 33], b: [5, 1] },
      { name: 'row [130,70]+[70]', a: [130, 70], b: [70] },
      { name: 'empty [0,3]+[3]', a: [0, 3], b: [3] },
    ];
    for (const op of ops) for (const dtype of ['float32', 'int32'] as const) for (const l of layouts) {
      it(`${dtype} ${op} ${l.name}`, async () => {
        const shape = l.a.length >= l.b.length ? l.a.map((d, i) => { const e = l.b[i - (l.a.length - l.b.length)] ?? 1; return d === 1 ? e : d; }) : l.b;
        const a = randomData(dtype, sizeOf(l.a), { specials: true, lo: -4, hi: 4 });
        const b = randomData(dtype, sizeOf(l.b), { specials: true, lo: -4, hi: 4 });
        if (dtype === 'int32' && op === 'pow') for (let i = 0; i < b.length; i++) b[i] = Math.abs(b[i]) % 6;
        const out: OutSpec = { dtype: compare.has(op) ? 'bool' : dtype, size: sizeOf(shape) };
        const [g, c] = await both('binary', [a, b], out, { op, shape, aStrides: bcastStrides(l.a, shape), bStrides: bcastStrides(l.b, shape) });
        // pow goes through exp2/log2, whose WGSL precision bounds allow a few 1e-6 on some adapters
        expectMatch(g, c, op === 'pow' ? 1e-5 : 1e-6, `${op}`);
      });
    }
    it('transposed operand (strided a)', async () => {
      const a = randomData('float32', 33 * 70), b = randomData('float32', 70 * 33);
      const [g, c] = await both('binary', [a, b], { dtype: 'float32', size: 70 * 33 }, { op: 'mul', shape: [70, 33], aStrides: [1, 70], bStrides: [33, 1] });
      expectMatch(g, c, 1e-6, 'mul transposed');
    });
    it('bool and/or/eq', async () => {
      for (const op of ['and', 'or', 'eq'] as const) {
        const a = randomData('bool', 40), b = randomData('bool', 40);
        const [g, c] = await both('binary', [a, b], { dtype: 'bool', size: 40 }, { op, shape: [40], aStrides: [1], bStrides: [1] });
        expectMatch(g, c, 0, op);
      }
    });
  });

  it('where with broadcast cond/a/b, float and int', async () => {
    for (const dtype of ['float32', 'int32'] as const) {
      const shape = [7, 5, 33];
      const cond = randomData('bool', 5 * 33), a = randomData(dtype, 7 * 5 * 33, { specials: true }), b = randomData(dtype, 7);
      const [g, c] = await both('where', [cond, a, b], { dtype, size: sizeOf(shape) }, {
        shape, condStrides: bcastStrides([5, 33], shape), aStrides: stridesOf(shape), bStrides: bcastStrides([7, 1, 1], shape),
      });
      expectMatch(g, c, 0, `where ${dtype}`);
    }
  });

  describe('reduce', () => {
    const shapes: [number, number, number][] = [[1, 1, 1], [1, 7, 1], [3, 33, 1], [2, 33, 5], [130, 70, 1], [1, 70, 33], [13, 70, 33], [4, 1000, 1], [2, 0, 3], [0, 5, 2], [700, 3, 7]];
    for (const op of ['sum', 'max', 'min', 'argmax', 'argmin'] as const) for (const dtype of ['float32', 'int32'] as const) {
      it(`${dtype} ${op} over [outer,size,inner] shapes`, async () => {
        for (const [outer, size, inner] of shapes) {
          const x = randomData(dtype, outer * size * inner);
          const outDtype: DType = op === 'argmax' || op === 'argmin' ? 'int32' : dtype;
          const [g, c] = await both('reduce', [x], { dtype: outDtype, size: outer * inner }, { op, outer, size, inner });
          // sums are compared relative to the summed magnitude (f32 vs the CPU's f64 accumulator)
          const tol = op === 'sum' && dtype === 'float32' ? 1e-5 * Math.max(1, size) : 0;
          expectMatch(g, c, op === 'sum' ? tol : 0, `${op} [${outer},${size},${inner}]`);
        }
      });
    }
    it('NaN wins max/min/argmax/argmin; ties keep the first index', async () => {
      const x = new Float32Array([1, 5, 5, 2, NaN, 3, NaN, 0, -Infinity, -Infinity, -Infinity, -Infinity]);
      for (const op of ['max', 'min', 'argmax', 'argmin', 'sum'] as const) {
        for (const [outer, size, inner] of [[3, 4, 1], [1, 4, 3], [1, 12, 1]] as [number, number, number][]) {
          const [g, c] = await both('reduce', [x], { dtype: op.startsWith('arg') ? 'int32' : 'float32', size: outer * inner }, { op, outer, size, inner });
          expectMatch(g, c, 0, `${op} [${outer},${size},${inner}]`);
        }
      }
    });
    it('long row sum stays accurate (4096 ones + noise)', async () => {
      const x = Float32Array.from({ length: 4096 }, (_, i) => 1 + (i % 7) * 1e-3);
      const [g, c] = await both('reduce', [x], { dtype: 'float32', size: 1 }, { op: 'sum', outer: 1, size: 4096, inner: 1 });
      expect(Math.abs(g[0] - c[0]) / c[0]).toBeLessThan(1e-6);
    });
  });

  describe('matmul', () => {
    const cases: [number, number, number, number][] = [
      [1, 1, 1, 1], [1, 7, 33, 1], [1, 1, 33, 7], [2, 33, 7, 130], [1, 130, 70, 33], [3, 64, 64, 64], [2, 65, 17, 63], [1, 128, 256, 8], [4, 5, 0, 3],
    ];
    for (const [batch, m, k, n] of cases) for (const transA of [false, true]) for (const transB of [false, true]) {
      it(`[${batch}] ${m}×${k} @ ${k}×${n}${transA ? ' Aᵀ' : ''}${transB ? ' Bᵀ' : ''}`, async () => {
        const a = randomData('float32', batch * m * k), b = randomData('float32', batch * k * n);
        const [g, c] = await both('matmul', [a, b], { dtype: 'float32', size: batch * m * n }, {
          batch, m, k, n, transA, transB, aBatchStride: m * k, bBatchStride: k * n,
        });
        expectMatch(g, c, 5e-4, 'matmul');
      });
    }
    it('broadcast B across the batch (bBatchStride 0)', async () => {
      const a = randomData('float32', 3 * 20 * 16), b = randomData('float32', 16 * 24);
      const [g, c] = await both('matmul', [a, b], { dtype: 'float32', size: 3 * 20 * 24 }, {
        batch: 3, m: 20, k: 16, n: 24, transA: false, transB: false, aBatchStride: 320, bBatchStride: 0,
      });
      expectMatch(g, c, 5e-4, 'matmul broadcast');
    });
    it('NaN and Inf propagate', async () => {
      const a = randomData('float32', 70 * 33, { specials: true }), b = randomData('float32', 33 * 70);
      const [g, c] = await both('matmul', [a, b], { dtype: 'float32', size: 70 * 70 }, {
        batch: 1, m: 70, k: 33, n: 70, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0,
      });
      expectMatch(g, c, 5e-4, 'matmul specials');
    });
  });

  describe('strided copy and scatter', () => {
    it('permute [7,33,5] → [5,7,33], every dtype', async () => {
      for (const dtype of DTYPES) {
        const x = randomData(dtype, 7 * 33 * 5, { specials: true });
        const s = stridesOf([7, 33, 5]);
        const [g, c] = await both('stridedCopy', [x], { dtype, size: x.length }, { shape: [5, 7, 33], strides: [s[2], s[0], s[1]], offset: 0 });
        expectMatch(g, c, 0, `permute ${dtype}`);
      }
    });
    it('expand [1,33] → [7,33] and slice with steps and offset', async () => {
      const x = randomData('float32', 33);
      const [g, c] = await both('stridedCopy', [x], { dtype: 'float32', size: 7 * 33 }, { shape: [7, 33], strides: [0, 1], offset: 0 });
      expectMatch(g, c, 0, 'expand');
      const y = randomData('float32', 130 * 70);
      const [g2, c2] = await both('stridedCopy', [y], { dtype: 'float32', size: 40 * 23 }, { shape: [40, 23], strides: [3 * 70, 3], offset: 2 * 70 + 1 });
      expectMatch(g2, c2, 0, 'slice');
    });
    it('rank-0 and empty copies', async () => {
      const x = randomData('float32', 10);
      const [g, c] = await both('stridedCopy', [x], { dtype: 'float32', size: 1 }, { shape: [], strides: [], offset: 4 });
      expectMatch(g, c, 0, 'rank 0');
      const [g2, c2] = await both('stridedCopy', [x], { dtype: 'float32', size: 0 }, { shape: [0, 3], strides: [3, 1], offset: 0 });
      expectMatch(g2, c2, 0, 'empty');
    });
    it('scatter a window into a filled output (pad / cat)', async () => {
      for (const dtype of DTYPES) {
        const x = randomData(dtype, 5 * 7);
        const init = randomData(dtype, 9 * 13);
        const [g, c] = await both('stridedScatter', [x], { dtype, size: 9 * 13, init }, { shape: [5, 7], strides: [13 * 1, 1], offset: 2 * 13 + 3 });
        expectMatch(g, c, 0, `scatter ${dtype}`);
      }
    });
  });

  describe('gather and scatter-add', () => {
    it('gather along each dim of [7,33,5]', async () => {
      const xShape = [7, 33, 5];
      const x = randomData('float32', sizeOf(xShape), { specials: true });
      for (let dim = 0; dim < 3; dim++) {
        const idxShape = [...xShape];
        idxShape[dim] = 4;
        const index = Int32Array.from({ length: sizeOf(idxShape) }, () => Math.floor(rand() * xShape[dim]));
        const [g, c] = await both('gather', [x, index], { dtype: 'float32', size: index.length }, { shape: idxShape, xStrides: stridesOf(xShape), dim });
        expectMatch(g, c, 0, `gather dim ${dim}`);
      }
    });
    it('scatter-add with repeated indices, float (CAS loop) and int', async () => {
      for (const dtype of ['float32', 'int32'] as const) {
        const outShape = [6, 33];
        for (let dim = 0; dim < 2; dim++) {
          const idxShape = dim === 0 ? [50, 33] : [6, 70];
          const index = Int32Array.from({ length: sizeOf(idxShape) }, () => Math.floor(rand() * outShape[dim]));
          const src = randomData(dtype, sizeOf(idxShape));
          const init = randomData(dtype, sizeOf(outShape));
          const [g, c] = await both('scatterAdd', [index, src], { dtype, size: sizeOf(outShape), init }, {
            shape: idxShape, outStrides: stridesOf(outShape), srcStrides: stridesOf(idxShape), dim,
          });
          expectMatch(g, c, dtype === 'float32' ? 1e-5 : 0, `scatterAdd ${dtype} dim ${dim}`);
        }
      }
    });
  });

  describe('machinery', () => {
    it('a new shape reuses the pipeline (shapes live in uniforms)', async () => {
      const g = gpu!;
      await both('binary', [randomData('float32', 6), randomData('float32', 6)], { dtype: 'float32', size: 6 }, { op: 'add', shape: [2, 3], aStrides: [3, 1], bStrides: [3, 1] });
      const before = g.stats.pipelines;
      for (const [r, cols] of [[5, 9], [17, 3], [1, 100]]) {
        const [gg, cc] = await both('binary', [randomData('float32', r * cols), randomData('float32', cols)], { dtype: 'float32', size: r * cols }, {
          op: 'add', shape: [r, cols], aStrides: [cols, 1], bStrides: [0, 1],
        });
        expectMatch(gg, cc, 1e-6, 'add');
      }
      expect(g.stats.pipelines).toBe(before);
    });

    it('many kernels go out in one submit', async () => {
      const g = gpu!;
      const x = g.alloc('float32', 100);
      g.write(x, randomData('float32', 100));
      const bufs: BackendBuffer[] = [];
      let cur = x;
      const submits = g.stats.submits;
      for (let i = 0; i < 50; i++) {
        const o = g.alloc('float32', 100);
        g.run('unary', [cur], [o], { op: 'tanh' });
        bufs.push(o);
        cur = o;
      }
      await g.read(cur);
      expect(g.stats.submits - submits).toBeLessThanOrEqual(2);
      for (const b of [x, ...bufs]) g.free(b);
    });

    it('a kernel without a WGSL plan runs on the CPU with one warning, in order with later work', async () => {
      const g = gpu!;
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      try {
        // int32 matmul has no WGSL kernel: it must fall back, and the add after it must see its result
        const a = Int32Array.from({ length: 12 }, (_, i) => i - 5), b = Int32Array.from({ length: 12 }, (_, i) => 2 * i);
        const ga = g.alloc('int32', 12), gb = g.alloc('int32', 12), gm = g.alloc('int32', 9), gs = g.alloc('int32', 9);
        g.write(ga, a); g.write(gb, b);
        const p = { batch: 1, m: 3, k: 4, n: 3, transA: false, transB: false, aBatchStride: 12, bBatchStride: 12 };
        g.run('matmul', [ga, gb], [gm], p);
        g.run('binary', [gm, gm], [gs], { op: 'add', shape: [9], aStrides: [1], bStrides: [1] });
        g.run('matmul', [ga, gb], [gm], p);
        const ca = cpu.alloc('int32', 12), cb = cpu.alloc('int32', 12), cm = cpu.alloc('int32', 9);
        cpu.write(ca, a); cpu.write(cb, b);
        cpu.run('matmul', [ca, cb], [cm], p);
        const want = Int32Array.from(cpu.readSync(cm), (v) => 2 * v);
        expect([...(await g.read(gs))]).toEqual([...want]);
        expect(warn.mock.calls.filter((c) => String(c[0]).includes("'matmul'")).length).toBe(1);
        for (const x of [ga, gb, gm, gs]) g.free(x);
      } finally {
        warn.mockRestore();
      }
    });

    it('1000 alloc/run/free steps keep pooled bytes flat', async () => {
      const g = gpu!;
      const w = g.alloc('float32', 32 * 32);
      g.write(w, randomData('float32', 32 * 32));
      const pooled: number[] = [];
      const submitsBefore = g.stats.submits;
      for (let step = 0; step < 1000; step++) {
        const x = g.alloc('float32', 8 * 32), y = g.alloc('float32', 8 * 32), z = g.alloc('float32', 8 * 32), s = g.alloc('float32', 1);
        g.write(x, randomData('float32', 8 * 32));
        g.run('matmul', [x, w], [y], { batch: 1, m: 8, k: 32, n: 32, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 });
        g.run('binary', [y, x], [z], { op: 'add', shape: [8, 32], aStrides: [32, 1], bStrides: [32, 1] });
        g.run('reduce', [z], [s], { op: 'sum', outer: 1, size: 256, inner: 1 });
        if (step % 100 === 99) { await g.read(s); pooled.push(g.pooledBytes()); }
        for (const b of [x, y, z, s]) g.free(b);
      }
      g.free(w);
      expect(new Set(pooled.slice(1)).size, `pooled bytes over time: ${pooled.join(', ')}`).toBe(1);
      // uploads into memory that recorded commands still use are staged, not submitted early
      expect(g.stats.submits - submitsBefore).toBeLessThanOrEqual(20);
    }, 240_000);
  });
});
