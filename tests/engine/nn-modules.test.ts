// Every modules.json case: build the module from torch's config, load torch's state_dict, run
// the same forward, compare outputs (atol 1e-5 / rtol 1e-4), input gradients and parameter
// gradients (atol 1e-4 / rtol 1e-3). A case the engine cannot build or run fails.
import { describe, expect, it } from 'vitest';
import { add, memory, mul, sum, tidy } from '../../src/engine/index.ts';
import type { Tensor } from '../../src/engine/index.ts';
import {
  GRU, LSTM, LayerNorm, Linear, Embedding, MultiheadAttention, RNN, TransformerDecoderLayer, TransformerEncoderLayer,
  sinusoidalPositionalEncoding,
} from '../../src/engine/nn/index.ts';
import type { Module } from '../../src/engine/nn/index.ts';
import { expectClose } from './helpers.ts';
import { camelKeys, floats, loadCases, stateDictJson, toTensor } from './nn-fixture-utils.ts';
import type { Case, TensorJson } from './nn-fixture-utils.ts';

const FWD = { atol: 1e-5, rtol: 1e-4 };
const GRAD = { atol: 1e-4, rtol: 1e-3 };

function build(c: Case): Module {
  const cfg = c.config;
  const opts = camelKeys(cfg);
  switch (c.module) {
    case 'Linear': return new Linear(cfg.in_features, cfg.out_features, opts);
    case 'Embedding': return new Embedding(cfg.num_embeddings, cfg.embedding_dim, opts);
    case 'LayerNorm': return new LayerNorm(cfg.normalized_shape, opts);
    case 'RNN': return new RNN(cfg.input_size, cfg.hidden_size, opts);
    case 'LSTM': return new LSTM(cfg.input_size, cfg.hidden_size, opts);
    case 'GRU': return new GRU(cfg.input_size, cfg.hidden_size, opts);
    case 'MultiheadAttention': return new MultiheadAttention(cfg.embed_dim, cfg.num_heads, opts);
    case 'TransformerEncoderLayer': return new TransformerEncoderLayer(cfg.d_model, cfg.nhead, opts);
    case 'TransformerDecoderLayer': return new TransformerDecoderLayer(cfg.d_model, cfg.nhead, opts);
    default: throw new Error(`no engine module for fixture module '${c.module}'`);
  }
}

/** The forward call the fixture describes, outputs flattened in the fixture's order. */
function run(c: Case, m: Module, x: Record<string, Tensor>): Tensor[] {
  switch (c.module) {
    case 'Linear': case 'Embedding': case 'LayerNorm':
      return [(m as Linear).forward(x.input)];
    case 'RNN': case 'GRU': {
      const [out, h] = (m as RNN).forward(x.input, x.h0 ?? null);
      return [out, h];
    }
    case 'LSTM': {
      const [out, [h, cell]] = (m as LSTM).forward(x.input, x.h0 ? [x.h0, x.c0] : null);
      return [out, h, cell];
    }
    case 'MultiheadAttention': {
      const q = x.query;
      const [out, w] = (m as MultiheadAttention).forward(q, x.key ?? q, x.value ?? x.key ?? q, {
        attnMask: x.attn_mask, keyPaddingMask: x.key_padding_mask,
        needWeights: c.args.need_weights, averageAttnWeights: c.args.average_attn_weights,
      });
      return w ? [out, w] : [out];
    }
    case 'TransformerEncoderLayer':
      return [(m as TransformerEncoderLayer).forward(x.src, { srcMask: x.src_mask, srcKeyPaddingMask: x.src_key_padding_mask })];
    case 'TransformerDecoderLayer':
      return [(m as TransformerDecoderLayer).forward(x.tgt, x.memory, { tgtMask: x.tgt_mask, memoryKeyPaddingMask: x.memory_key_padding_mask })];
    default: throw new Error(`no forward for '${c.module}'`);
  }
}

const cases = loadCases('modules');

describe('nn modules match PyTorch (modules.json)', () => {
  it('has the expected fixture cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(35);
  });

  for (const c of cases) {
    it(c.name, async () => {
      if (c.module === 'SinusoidalPositionalEncoding') {
        const pe = sinusoidalPositionalEncoding(c.config.max_len, c.config.d_model);
        expect([...pe.shape]).toEqual(c.output.shape);
        expectClose(await pe.data(), floats(c.output), FWD.atol, FWD.rtol, 'pe');
        pe.dispose();
        return;
      }
      const before = memory().liveTensors;
      const m = build(c);
      m.loadStateDict(stateDictJson(c.state_dict));
      m.eval();
      const x: Record<string, Tensor> = {};
      for (const [k, j] of Object.entries(c.inputs as Record<string, TensorJson>)) x[k] = toTensor(j, k in c.grads);
      const outs = run(c, m, x);
      const expected: TensorJson[] = c.outputs ?? [c.output];
      const upstreams: (TensorJson | null)[] = c.upstreams ?? [c.upstream];
      expect(outs.length, 'number of outputs').toBe(expected.length);
      for (let i = 0; i < outs.length; i++) {
        expect([...outs[i].shape], `output ${i} shape`).toEqual(expected[i].shape);
        expectClose(await outs[i].data(), floats(expected[i]), FWD.atol, FWD.rtol, `output ${i}`);
      }
      // d(sum_i <out_i, upstream_i>)
      const total = tidy(() => {
        let s: Tensor | null = null;
        outs.forEach((o, i) => {
          const u = upstreams[i];
          if (!u) return;
          const term = sum(mul(o, toTensor(u)));
          s = s ? add(s, term) : term;
        });
        return s as Tensor | null;
      });
      expect(total, 'a floating output to differentiate').not.toBeNull();
      total!.backward();
      for (const [k, g] of Object.entries(c.grads as Record<string, TensorJson>)) {
        expect(x[k].grad, `grad of input ${k}`).not.toBeNull();
        expectClose(await x[k].grad!.data(), floats(g), GRAD.atol, GRAD.rtol, `d/d ${k}`);
      }
      const params = new Map(m.namedParameters());
      expect([...params.keys()].sort()).toEqual(Object.keys(c.param_grads).sort());
      for (const [k, g] of Object.entries(c.param_grads as Record<string, TensorJson>)) {
        const p = params.get(k)!;
        expect(p.grad, `grad of parameter ${k}`).not.toBeNull();
        expectClose(await p.grad!.data(), floats(g), GRAD.atol, GRAD.rtol, `d/d ${k}`);
      }
      // nothing leaks: outputs, inputs and the module are all that was alive
      total!.dispose();
      outs.forEach((o) => o.dispose());
      Object.values(x).forEach((t) => t.dispose());
      m.dispose();
      expect(memory().liveTensors).toBe(before);
    });
  }
});
