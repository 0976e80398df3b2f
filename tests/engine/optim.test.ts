// Every optim.json case: optimizer trajectories on torch's tiny regression (lr, loss, grads,
// (Fixture numbers carry 9 significant digits, hence rtol 1e-8 on learning rates.)
// clipped norm and parameters at each step), clip_grad_norm_, and the warm-up + cosine schedule.
import { describe, expect, it } from 'vitest';
import { add, matmul, mean, memory, sub, tensor, tidy } from '../../src/engine/index.ts';
import type { Tensor } from '../../src/engine/index.ts';
import { Adam, AdamW, LambdaLR, SGD, WarmupCosineLR, clipGradNorm, warmupCosineLr } from '../../src/engine/optim/index.ts';
import type { LRScheduler, Optimizer, OptimizerStateDict } from '../../src/engine/optim/index.ts';
import { Linear } from '../../src/engine/nn/index.ts';
import { expectClose } from './helpers.ts';
import { camelKeys, floats, loadCases, num, toTensor } from './nn-fixture-utils.ts';
import type { Case, JsonNumber, TensorJson } from './nn-fixture-utils.ts';

const TOL = { atol: 1e-5, rtol: 1e-4 };
const cases = loadCases('optim');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function makeOptimizer(name: string, params: Tensor[], cfg: any): Optimizer<{ lr: number }> {
  const opts = camelKeys(cfg);
  switch (name) {
    case 'SGD': return new SGD(params, opts as { lr: number });
    case 'Adam': return new Adam(params, opts);
    case 'AdamW': return new AdamW(params, opts);
    default: throw new Error(`no engine optimizer for '${name}'`);
  }
}

describe('optimizers follow PyTorch trajectories (optim.json)', () => {
  for (const c of cases.filter((k) => k.kind === 'trajectory')) {
    it(c.name, async () => {
      const before = memory().liveTensors;
      const X = toTensor(c.problem.X);
      const y = toTensor(c.problem.y);
      const weight = toTensor(c.initial_params.weight, true);
      const bias = toTensor(c.initial_params.bias, true);
      const params: Record<string, Tensor> = { weight, bias };
      const opt = makeOptimizer(c.optimizer, [weight, bias], c.config);
      let sched: LRScheduler | null = null;
      if (c.schedule) {
        const s = c.schedule;
        const base = num(s.base_lr);
        sched = new LambdaLR(opt, (step) => warmupCosineLr(step, { baseLr: base, minLr: num(s.min_lr), warmup: s.warmup, total: s.total }) / base);
      }
      for (const [i, rec] of (c.steps as Case[]).entries()) {
        const at = `step ${i}`;
        opt.zeroGrad();
        const loss = tidy(() => {
          const pred = add(matmul(X, weight.T), bias);
          const d = sub(pred, y);
          return mean(d.mul(d));
        });
        loss.backward();
        expectClose([opt.lr], [num(rec.lr)], 1e-12, 1e-8, `${at} lr`);
        expectClose([await loss.item()], [num(rec.loss)], TOL.atol, TOL.rtol, `${at} loss`);
        loss.dispose();
        if (c.clip_grad_norm) {
          const total = clipGradNorm([weight, bias], c.clip_grad_norm.max_norm);
          expectClose([await total.item()], [num(rec.total_norm)], TOL.atol, TOL.rtol, `${at} total norm`);
          total.dispose();
        }
        for (const [k, g] of Object.entries(rec.grads as Record<string, TensorJson>)) {
          expectClose(await params[k].grad!.data(), floats(g), TOL.atol, TOL.rtol, `${at} grad ${k}`);
        }
        opt.step();
        sched?.step();
        for (const [k, p] of Object.entries(rec.params as Record<string, TensorJson>)) {
          expectClose(await params[k].data(), floats(p), TOL.atol, TOL.rtol, `${at} param ${k}`);
        }
      }
      await expectTorchStateDict(opt.stateDict(), c.state_dict);
      // Resume from torch's own state_dict: the next step equals this optimizer's next step.
      const w2 = tidy(() => weight.detach().clone().requiresGrad_(true));
      const b2 = tidy(() => bias.detach().clone().requiresGrad_(true));
      const resumed = makeOptimizer(c.optimizer, [w2, b2], { lr: 123 }); // options come from the state
      resumed.loadStateDict(c.state_dict);
      for (const [ps, o] of [[[weight, bias], opt], [[w2, b2], resumed]] as const) {
        o.zeroGrad();
        const loss = tidy(() => {
          const d = sub(add(matmul(X, ps[0].T), ps[1]), y);
          return mean(d.mul(d));
        });
        loss.backward();
        loss.dispose();
        o.step();
      }
      expectClose(await w2.data(), await weight.data(), 1e-6, 1e-5, 'resumed weight');
      expectClose(await b2.data(), await bias.data(), 1e-6, 1e-5, 'resumed bias');
      resumed.dispose();
      opt.dispose();
      for (const t of [X, y, weight, bias, w2, b2]) t.dispose();
      expect(memory().liveTensors).toBe(before);
    });
  }
});

/** Options torch's param_groups carry that the engine's optimizers do not have. */
const TORCH_ONLY_OPTIONS = ['maximize', 'foreach', 'differentiable', 'capturable', 'fused', 'initial_lr'];

async function expectTorchStateDict(got: OptimizerStateDict, want: Case): Promise<void> {
  expect(Object.keys(got.state).sort()).toEqual(Object.keys(want.state).sort());
  for (const [id, entries] of Object.entries(want.state as Record<string, Record<string, TensorJson>>)) {
    const ours = got.state[Number(id)];
    expect(Object.keys(ours).sort(), `state of parameter ${id}`).toEqual(Object.keys(entries).sort());
    for (const [k, v] of Object.entries(entries)) {
      const mine = ours[k];
      if (k === 'step') expect(mine).toBe(num(v.data[0]));
      else expectClose(await (mine as Tensor).data(), floats(v), TOL.atol, TOL.rtol, `state ${id} ${k}`);
      if (typeof mine === 'object' && 'dispose' in mine) mine.dispose();
    }
  }
  expect(got.param_groups.length).toBe(want.param_groups.length);
  got.param_groups.forEach((g, i) => {
    const torchGroup = want.param_groups[i] as Record<string, unknown>;
    const torchKeys = Object.keys(torchGroup).filter((k) => !TORCH_ONLY_OPTIONS.includes(k));
    expect(Object.keys(g).sort(), `param_groups[${i}] keys`).toEqual(torchKeys.sort());
    for (const k of torchKeys) expect(JSON.stringify(g[k]), `param_groups[${i}].${k}`).toBe(JSON.stringify(torchGroup[k]));
  });
}

describe('clipGradNorm matches torch.nn.utils.clip_grad_norm_', () => {
  for (const c of cases.filter((k) => k.kind === 'clip_grad_norm')) {
    it(c.name, async () => {
      const ps = Object.entries(c.grads_in as Record<string, TensorJson>).map(([k, g]) => {
        const p = tensor(new Float32Array(g.data.length), { shape: g.shape, requiresGrad: true });
        p.grad = toTensor(g);
        return [k, p] as const;
      });
      const normType = c.args.norm_type === 'inf' ? Infinity : num(c.args.norm_type);
      const total = clipGradNorm(ps.map(([, p]) => p), num(c.args.max_norm), { normType });
      expectClose([await total.item()], [num(c.total_norm)], TOL.atol, TOL.rtol, 'total norm');
      for (const [k, p] of ps) expectClose(await p.grad!.data(), floats(c.grads_out[k]), TOL.atol, TOL.rtol, `grad ${k}`);
      total.dispose();
      ps.forEach(([, p]) => p.dispose());
    });
  }

  it('returns 0 and changes nothing when no parameter has a grad', async () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const total = clipGradNorm([p], 1);
    expect(await total.item()).toBe(0);
    expect(p.grad).toBeNull();
    total.dispose();
    p.dispose();
  });
});

describe('learning-rate schedules', () => {
  const c = cases.find((k) => k.kind === 'schedule')!;
  const cfg = { baseLr: num(c.config.base_lr), minLr: num(c.config.min_lr), warmup: c.config.warmup, total: c.config.total };
  const expected = (c.lr as JsonNumber[]).map(num);

  it('warmupCosineLr gives the fixture schedule (held at minLr after total)', () => {
    expectClose(expected.map((_, s) => warmupCosineLr(s, cfg)), expected, 1e-12, 1e-8, 'lr');
  });

  it('WarmupCosineLR and LambdaLR set the optimizer lr step by step like torch LambdaLR', () => {
    const m = new Linear(2, 1);
    const a = new SGD(m.parameters(), { lr: cfg.baseLr });
    const b = new SGD(m.parameters(), { lr: cfg.baseLr });
    const sa = new WarmupCosineLR(a, { warmup: cfg.warmup, total: cfg.total, minLr: cfg.minLr });
    const sb = new LambdaLR(b, (s) => warmupCosineLr(s, cfg) / cfg.baseLr);
    const got: number[] = [];
    const gotLambda: number[] = [];
    for (let i = 0; i < expected.length; i++) {
      got.push(a.lr);
      gotLambda.push(sb.getLastLr()[0]);
      sa.step();
      sb.step();
    }
    expectClose(got, expected, 1e-12, 1e-8, 'WarmupCosineLR');
    expectClose(gotLambda, expected, 1e-12, 1e-8, 'LambdaLR');
    m.dispose();
  });
});

describe('optimizer API', () => {
  it('loadStateDict checks groups, parameters and shapes before changing anything', () => {
    const w = tensor([1, 1], { requiresGrad: true });
    const opt = new Adam([w], { lr: 0.1 });
    const group = { lr: 0.5, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, params: [0] };
    expect(() => opt.loadStateDict({ state: {}, param_groups: [group, { ...group, params: [1] }] })).toThrow('Adam.loadStateDict: the state has 2 parameter groups, this optimizer 1');
    expect(() => opt.loadStateDict({ state: {}, param_groups: [{ ...group, params: [0, 1] }] })).toThrow('Adam.loadStateDict: group 0 has 2 parameters in the state, 1 here');
    expect(() => opt.loadStateDict({ state: { 0: { step: 1, exp_avg: { shape: [3], data: [0, 0, 0] } } }, param_groups: [group] }))
      .toThrow('Adam.loadStateDict: exp_avg of parameter 0 is [3], the parameter [2]');
    expect(() => opt.loadStateDict({ state: {}, param_groups: [{ ...group, betas: [1.5, 0.9] }] })).toThrow('Adam: betas must be in [0, 1), got [1.5, 0.9]');
    expect(opt.lr).toBe(0.1);
    expect(opt.paramGroups[0].betas).toEqual([0.9, 0.999]);
    opt.loadStateDict({ state: { 0: { step: 4, exp_avg: { shape: [2], data: [1, 2] }, exp_avg_sq: { shape: [2], data: [3, 4] } } }, param_groups: [group] });
    expect(opt.lr).toBe(0.5);
    expect(opt.state.get(w)!.step).toBe(4);
    opt.dispose();
    w.dispose();
  });

  it('parameter groups override options (e.g. no weight decay on biases)', async () => {
    const w = tensor([1, 1], { requiresGrad: true });
    const b = tensor([1], { requiresGrad: true });
    const opt = new AdamW([{ params: [w] }, { params: [b], weightDecay: 0 }], { lr: 0.1, weightDecay: 0.5 });
    expect(opt.paramGroups.map((g) => g.weightDecay)).toEqual([0.5, 0]);
    w.grad = tensor([0, 0]);
    b.grad = tensor([0]);
    opt.step();
    // zero gradient: only decoupled decay moves w; b stays
    expectClose(await w.data(), [0.95, 0.95], 1e-7, 1e-6, 'w');
    expectClose(await b.data(), [1], 1e-7, 1e-6, 'b');
    opt.dispose();
    for (const t of [w, b]) t.dispose();
  });

  it('rejects bad options and tensors that do not require grad', () => {
    const p = tensor([1], { requiresGrad: true });
    expect(() => new SGD([p], { lr: -1 })).toThrow(/invalid learning rate/);
    expect(() => new Adam([p], { betas: [1, 0.9] })).toThrow(/betas/);
    expect(() => new SGD([tensor([1])], { lr: 0.1 })).toThrow(/requiresGrad/);
    expect(() => new SGD([p], { lr: 0.1, nesterov: true })).toThrow(/nesterov/);
    p.dispose();
  });

  it('skips parameters without a grad and zeroGrad clears grads', async () => {
    const a = tensor([1], { requiresGrad: true });
    const b = tensor([2], { requiresGrad: true });
    const opt = new SGD([a, b], { lr: 1 });
    a.grad = tensor([0.5]);
    opt.step();
    expect(Array.from(await a.data())).toEqual([0.5]);
    expect(Array.from(await b.data())).toEqual([2]);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
    for (const t of [a, b]) t.dispose();
  });
});
