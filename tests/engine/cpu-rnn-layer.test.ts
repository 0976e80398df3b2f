// The CPU backend's whole-layer recurrent kernel (fused 'rnnLayer'): in inference an RNN, LSTM or
// GRU runs every step of a layer in one call, with the step-by-step path's arithmetic. Checked bit
// for bit against that path (the same modules run with autograd on, which needs the steps), on
// every CPU tier, in every configuration the modules take; and it must stay out of training.
import { afterAll, describe, expect, it } from 'vitest';
import * as T from '../../src/engine/index.ts';
import { cpuTier, setCpuTier, type CpuTier } from '../../src/engine/backends/cpu-wasm.ts';
import { fusedHarness, randomArray } from './fused-cases.ts';

const h = fusedHarness('cpu', T.setBackend('cpu'));
const tier = cpuTier();
afterAll(() => { setCpuTier(tier); });

type Kind = 'RNN' | 'RNN_RELU' | 'LSTM' | 'GRU';
interface Config { batch: number | null; layers: number; bidirectional: boolean; bias: boolean; batchFirst: boolean; state: boolean }

function build(kind: Kind, input: number, hidden: number, c: Config): T.nn.RNN | T.nn.LSTM | T.nn.GRU {
  const opts = { numLayers: c.layers, bidirectional: c.bidirectional, bias: c.bias, batchFirst: c.batchFirst };
  T.manualSeed(3);
  if (kind === 'LSTM') return new T.nn.LSTM(input, hidden, opts);
  if (kind === 'GRU') return new T.nn.GRU(input, hidden, opts);
  return new T.nn.RNN(input, hidden, { ...opts, nonlinearity: kind === 'RNN' ? 'tanh' : 'relu' });
}

/** Output and final states of one forward, as host arrays. */
async function forward(m: T.nn.RNN | T.nn.LSTM | T.nn.GRU, kind: Kind, x: T.Tensor, h0: T.Tensor | null, c0: T.Tensor | null): Promise<Float32Array[]> {
  const outs = T.tidy(() => {
    if (kind === 'LSTM') {
      const [y, [hN, cN]] = (m as T.nn.LSTM).forward(x, h0 && c0 ? [h0, c0] : null);
      return [y, hN, cN];
    }
    const [y, hN] = (m as T.nn.RNN).forward(x, h0);
    return [y, hN];
  });
  const data = await Promise.all(outs.map((t) => t.data() as Promise<Float32Array>));
  outs.forEach((t) => t.dispose());
  return data;
}

const CONFIGS: Config[] = [
  { batch: 1, layers: 1, bidirectional: false, bias: true, batchFirst: true, state: false },
  { batch: 5, layers: 2, bidirectional: false, bias: true, batchFirst: false, state: true }, // 5 rows: the packed matmul
  { batch: 3, layers: 1, bidirectional: true, bias: false, batchFirst: false, state: true },
  { batch: null, layers: 2, bidirectional: true, bias: true, batchFirst: false, state: false }, // unbatched
];

describe.each(['LSTM', 'GRU', 'RNN', 'RNN_RELU'] as Kind[])('%s in inference, one call a layer', (kind) => {
  for (const c of CONFIGS) {
    const label = `batch ${c.batch ?? 'none'}, ${c.layers} layer(s)${c.bidirectional ? ', bidirectional' : ''}${c.bias ? '' : ', no bias'}${c.state ? ', given state' : ''}`;
    it(`${label}: the step-by-step bits on every tier`, async () => {
      const [I, H, L] = [3, 7, 9];
      const m = build(kind, I, H, c);
      const D = c.bidirectional ? 2 : 1;
      const xShape = c.batch === null ? [L, I] : c.batchFirst ? [c.batch, L, I] : [L, c.batch, I];
      const x = T.tensor(randomArray(xShape.reduce((a, b) => a * b, 1), 2), { shape: xShape });
      const sShape = c.batch === null ? [D * c.layers, H] : [D * c.layers, c.batch, H];
      const h0 = c.state ? T.tensor(randomArray(sShape.reduce((a, b) => a * b, 1), 0.5), { shape: sShape }) : null;
      const c0 = c.state && kind === 'LSTM' ? T.tensor(randomArray(sShape.reduce((a, b) => a * b, 1), 0.5), { shape: sShape }) : null;
      for (const t of ['wasm', 'wasm-f64', 'js'] as CpuTier[]) {
        setCpuTier(t);
        h.calls.clear();
        const steps = await forward(m, kind, x, h0, c0); // grad on: the parameters need their steps
        expect(h.calls.get('rnnLayer') ?? 0, 'no layer kernel while training').toBe(0);
        const layered = await T.noGrad(() => forward(m, kind, x, h0, c0));
        expect(h.calls.get('rnnLayer'), `one call per layer and direction on '${t}'`).toBe(c.layers * D);
        expect(layered.length).toBe(steps.length);
        layered.forEach((got, k) => expect(got, `output ${k} on '${t}'`).toEqual(steps[k]));
      }
      for (const t of [x, h0, c0]) t?.dispose();
      m.dispose();
    });
  }
});

it('training through the steps still gets its gradients (the layer kernel stays out)', () => {
  const m = new T.nn.LSTM(2, 4);
  const x = T.randn([6, 1, 2]);
  const [y] = m.forward(x);
  y.sum().backward();
  expect(m.getParameter('weight_hh_l0')!.grad).not.toBeNull();
  m.dispose();
  x.dispose();
});
