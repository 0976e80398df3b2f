// Every models.json case: the engine's GPT / BERT / Seq2Seq built from the same config, with
// torch's state_dict loaded, give torch's logits, parameter gradients and loss.
import { describe, expect, it } from 'vitest';
import { crossEntropy, memory, mul, noGrad, sum, tidy } from '../../src/engine/index.ts';
import type { Tensor } from '../../src/engine/index.ts';
import { BERT, GPT, Seq2Seq } from '../../src/engine/models/index.ts';
import type { Module } from '../../src/engine/nn/index.ts';
import { expectClose } from './helpers.ts';
import { camelKeys, floats, loadCases, num, stateDictJson, toTensor } from './nn-fixture-utils.ts';
import type { Case, TensorJson } from './nn-fixture-utils.ts';

const FWD = { atol: 1e-5, rtol: 1e-4 };
const GRAD = { atol: 1e-4, rtol: 1e-3 };

function build(c: Case): Module {
  const cfg = camelKeys(c.config);
  switch (c.model) {
    case 'GPT': return new GPT(cfg as unknown as ConstructorParameters<typeof GPT>[0]);
    case 'BERT': return new BERT(cfg as unknown as ConstructorParameters<typeof BERT>[0]);
    case 'Seq2Seq': return new Seq2Seq(cfg as unknown as ConstructorParameters<typeof Seq2Seq>[0]);
    default: throw new Error(`no engine model for fixture model '${c.model}'`);
  }
}

function run(c: Case, m: Module, x: Record<string, Tensor>): Tensor {
  switch (c.model) {
    case 'GPT': return (m as GPT).forward(x.idx);
    case 'BERT': return (m as BERT).forward(x.idx, { segmentIds: x.segment_ids, keyPaddingMask: x.key_padding_mask });
    case 'Seq2Seq': return (m as Seq2Seq).forward(x.src, x.tgt, { srcKeyPaddingMask: x.src_key_padding_mask });
    default: throw new Error(`no forward for '${c.model}'`);
  }
}

const cases = loadCases('models');

describe('whole models match PyTorch (models.json)', () => {
  it('has GPT, BERT and Seq2Seq cases', () => {
    expect(new Set(cases.map((c) => c.model))).toEqual(new Set(['GPT', 'BERT', 'Seq2Seq']));
  });

  for (const c of cases) {
    it(c.name, async () => {
      const before = memory().liveTensors;
      const m = build(c);
      // same state_dict names, in torch's order, tied aliases included
      expect(Object.keys(m.stateDict())).toEqual(Object.keys(c.state_dict));
      m.loadStateDict(stateDictJson(c.state_dict));
      m.eval();
      for (const [alias, owner] of Object.entries(c.tied as Record<string, string>)) {
        expect(m.stateDict()[alias], `${alias} is ${owner}`).toBe(m.stateDict()[owner]);
      }
      const x: Record<string, Tensor> = {};
      for (const [k, j] of Object.entries(c.inputs as Record<string, TensorJson>)) x[k] = toTensor(j);
      const logits = run(c, m, x);
      expect([...logits.shape]).toEqual(c.output.shape);
      expectClose(await logits.data(), floats(c.output), FWD.atol, FWD.rtol, 'logits');

      // the fixture's loss on these logits
      const V = logits.shape[2];
      const loss = noGrad(() => tidy(() => {
        const t = toTensor(c.loss.targets);
        return crossEntropy(logits.reshape(-1, V), t.reshape(-1), { ignoreIndex: -100 });
      }));
      expectClose([await loss.item()], [num(c.loss.value)], FWD.atol, FWD.rtol, 'loss');
      loss.dispose();

      const total = tidy(() => sum(mul(logits, toTensor(c.upstream))));
      total.backward();
      const params = new Map(m.namedParameters());
      expect([...params.keys()]).toEqual(Object.keys(c.param_grads));
      for (const [k, g] of Object.entries(c.param_grads as Record<string, TensorJson>)) {
        const p = params.get(k)!;
        expect(p.grad, `grad of ${k}`).not.toBeNull();
        expectClose(await p.grad!.data(), floats(g), GRAD.atol, GRAD.rtol, `d/d ${k}`);
      }
      total.dispose();
      logits.dispose();
      Object.values(x).forEach((t) => t.dispose());
      m.dispose();
      expect(memory().liveTensors).toBe(before);
    });
  }
});
