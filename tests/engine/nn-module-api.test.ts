// nn.Module behaviour a reader relies on: torch names, state-dict loading and its errors,
// train/eval, initialisation, padding rows, containers, cells and attention weights.
import { describe, expect, it } from 'vitest';
import { manualSeed, memory, ones, randn, sum, tensor, tidy } from '../../src/engine/index.ts';
import {
  Dropout, Embedding, GRU, LayerNorm, TransformerDecoder, TransformerEncoder, GRUCell, LSTM, LSTMCell, Linear, ModuleList, MultiheadAttention, ReLU, RNN, RNNCell, Sequential,
  TransformerDecoderLayer, TransformerEncoderLayer, causalMask, generateSquareSubsequentMask,
} from '../../src/engine/nn/index.ts';
import { expectClose } from './helpers.ts';

const ENCODER_NAMES = [
  'self_attn.in_proj_weight', 'self_attn.in_proj_bias', 'self_attn.out_proj.weight', 'self_attn.out_proj.bias',
  'linear1.weight', 'linear1.bias', 'linear2.weight', 'linear2.bias', 'norm1.weight', 'norm1.bias', 'norm2.weight', 'norm2.bias',
];

describe('Module names and tree', () => {
  it('TransformerEncoderLayer has torch named_parameters() names in torch order', () => {
    const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
    expect(layer.namedParameters().map(([n]) => n)).toEqual(ENCODER_NAMES);
    expect(Object.keys(layer.stateDict())).toEqual(ENCODER_NAMES);
    expect(layer.namedChildren().map(([n]) => n)).toEqual(['self_attn', 'linear1', 'dropout', 'linear2', 'norm1', 'norm2', 'dropout1', 'dropout2']);
    expect(layer.namedModules().map(([n]) => n)).toContain('self_attn.out_proj');
    expect(layer.getSubmodule('self_attn.out_proj')).toBe(layer.selfAttn.outProj);
    expect(layer.numParameters()).toBe(3 * 64 + 24 + 64 + 8 + 128 + 16 + 128 + 8 + 4 * 8);
    layer.dispose();
  });

  it('TransformerDecoderLayer adds multihead_attn and norm3', () => {
    const layer = new TransformerDecoderLayer(8, 2, { dimFeedforward: 16 });
    const names = layer.namedParameters().map(([n]) => n);
    expect(names.slice(4, 8)).toEqual(['multihead_attn.in_proj_weight', 'multihead_attn.in_proj_bias', 'multihead_attn.out_proj.weight', 'multihead_attn.out_proj.bias']);
    expect(names.slice(-2)).toEqual(['norm3.weight', 'norm3.bias']);
    layer.dispose();
  });

  it('LSTM names weights per layer like torch, gate rows 4·hidden', () => {
    const lstm = new LSTM(3, 5, { numLayers: 2 });
    expect(lstm.namedParameters().map(([n, p]) => `${n}:${p.shape.join('x')}`)).toEqual([
      'weight_ih_l0:20x3', 'weight_hh_l0:20x5', 'bias_ih_l0:20', 'bias_hh_l0:20',
      'weight_ih_l1:20x5', 'weight_hh_l1:20x5', 'bias_ih_l1:20', 'bias_hh_l1:20',
    ]);
    lstm.dispose();
  });

  it('a bidirectional GRU names its backward weights *_reverse, in torch order, and checks its state shape', () => {
    const gru = new GRU(3, 4, { numLayers: 2, bidirectional: true, bias: false });
    expect(gru.namedParameters().map(([n, p]) => `${n}:${p.shape.join('x')}`)).toEqual([
      'weight_ih_l0:12x3', 'weight_hh_l0:12x4', 'weight_ih_l0_reverse:12x3', 'weight_hh_l0_reverse:12x4',
      'weight_ih_l1:12x8', 'weight_hh_l1:12x4', 'weight_ih_l1_reverse:12x8', 'weight_hh_l1_reverse:12x4',
    ]);
    expect(gru.toString()).toBe('GRU(3, 4, num_layers=2, bias=false, bidirectional=true)');
    const x = randn([5, 2, 3]);
    const [out, h] = gru.forward(x);
    expect([...out.shape]).toEqual([5, 2, 8]);
    expect([...h.shape]).toEqual([4, 2, 4]);
    const h0 = randn([2, 2, 4]);
    expect(() => gru.forward(x, h0)).toThrow('GRU: h0 must be [4,2,4], got [2,2,4]');
    expect(() => gru.forward(randn([0, 2, 3]))).toThrow('GRU: the input sequence is empty');
    for (const t of [x, out, h, h0]) t.dispose();
    gru.dispose();
  });

  it('an LSTM with projSize adds weight_hr after each direction\'s weights and checks h0 and c0 apart', () => {
    const lstm = new LSTM(3, 5, { projSize: 2 });
    expect(lstm.namedParameters().map(([n, p]) => `${n}:${p.shape.join('x')}`)).toEqual([
      'weight_ih_l0:20x3', 'weight_hh_l0:20x2', 'bias_ih_l0:20', 'bias_hh_l0:20', 'weight_hr_l0:2x5',
    ]);
    expect(lstm.toString()).toBe('LSTM(3, 5, proj_size=2)');
    const x = randn([4, 1, 3]);
    const h0 = randn([1, 1, 5]);
    const c0 = randn([1, 1, 5]);
    expect(() => lstm.forward(x, [h0, c0])).toThrow('LSTM: h0 must be [1,1,2], got [1,1,5]');
    for (const t of [x, h0, c0]) t.dispose();
    lstm.dispose();
    expect(() => new LSTM(3, 5, { projSize: 5 })).toThrow('LSTM: projSize must be an integer from 0 to hiddenSize − 1 (4), got 5');
    expect(() => new GRU(3, 5, { projSize: 2 } as object)).toThrow('GRU: projSize is for LSTM only');
  });

  it('Sequential chains modules and prints like torch', async () => {
    const net = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2, { bias: false }));
    expect(net.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.weight']);
    expect(net.toString()).toBe('Sequential(\n  (0): Linear(in_features=3, out_features=4, bias=true)\n  (1): ReLU()\n  (2): Linear(in_features=4, out_features=2, bias=false)\n)');
    const before = memory().liveTensors;
    const x = randn([5, 3]);
    const y = net.forward(x);
    expect([...y.shape]).toEqual([5, 2]);
    x.dispose();
    y.dispose();
    expect(memory().liveTensors).toBe(before);
    net.dispose();
  });

  it('ModuleList indexes and iterates; children are registered as 0, 1, ...', () => {
    const list = new ModuleList([new Linear(2, 2), new Linear(2, 3)]);
    expect(list.length).toBe(2);
    expect(list.at(-1).outFeatures).toBe(3);
    expect([...list].length).toBe(2);
    expect(list.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
    expect(() => list.at(5)).toThrow(/out of range/);
    list.dispose();
  });

  it('train() / eval() reach every descendant; Dropout acts only in train mode', async () => {
    const net = new Sequential(new Linear(4, 4), new Dropout(0.5));
    expect(net.at(1).training).toBe(true);
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    const x = ones([2, 4]);
    const lin = net.at(0) as Linear;
    const a = net.forward(x);
    const b = lin.forward(x);
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    net.train();
    const c = net.forward(x);
    const zeros = Array.from(await c.data()).filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(0);
    for (const t of [x, a, b, c]) t.dispose();
    net.dispose();
  });
});

describe('TransformerEncoder / TransformerDecoder stacks', () => {
  it('copy the layer N times (same starting weights) under layers.{i}, with an optional final norm', async () => {
    const proto = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0, batchFirst: true });
    const enc = new TransformerEncoder(proto, 2, { norm: new LayerNorm(8) });
    const names = Object.keys(enc.stateDict());
    expect(names.slice(0, 12)).toEqual(ENCODER_NAMES.map((n) => `layers.0.${n}`));
    expect(names.slice(-2)).toEqual(['norm.weight', 'norm.bias']);
    const sd = enc.stateDict();
    expect(Array.from(await sd['layers.1.linear1.weight'].data())).toEqual(Array.from(await proto.linear1.weight.data()));
    expect(sd['layers.1.linear1.weight']).not.toBe(sd['layers.0.linear1.weight']);
    const x = randn([2, 5, 8]);
    const mask = causalMask(5);
    const viaStack = enc.forward(x, { mask });
    const manual = tidy(() => enc.norm!.forward(enc.layers.at(1).forward(enc.layers.at(0).forward(x, { srcMask: mask }), { srcMask: mask })));
    expectClose(await viaStack.data(), await manual.data(), 0, 0, 'stack');
    const dec = new TransformerDecoder(new TransformerDecoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true }), 3);
    expect(dec.namedParameters().filter(([n]) => n.endsWith('norm3.bias')).map(([n]) => n)).toEqual(['layers.0.norm3.bias', 'layers.1.norm3.bias', 'layers.2.norm3.bias']);
    const tgt = randn([2, 3, 8]);
    const y = dec.eval().forward(tgt, viaStack);
    expect([...y.shape]).toEqual([2, 3, 8]);
    for (const t of [x, mask, viaStack, manual, tgt, y]) t.dispose();
    for (const m of [proto, enc, dec]) m.dispose();
  });
});

describe('freezing and disposal', () => {
  it('requiresGrad_(false) freezes every parameter; zeroGrad drops grads; dispose frees them', () => {
    const before = memory().liveTensors;
    const m = new Sequential(new Linear(3, 3), new Linear(3, 1));
    const x = randn([2, 3]);
    const loss = tidy(() => sum(m.forward(x)));
    loss.backward();
    expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
    m.zeroGrad();
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
    m.requiresGrad_(false);
    expect(m.parameters().some((p) => p.requiresGrad)).toBe(false);
    const visited: string[] = [];
    m.apply((mod) => visited.push(mod.constructor.name));
    expect(visited).toEqual(['Linear', 'Linear', 'Sequential']);
    for (const t of [x, loss]) t.dispose();
    m.dispose();
    expect(memory().liveTensors).toBe(before);
  });
});

describe('state dicts', () => {
  it('loadStateDict copies values; stateDict exposes the parameters themselves', async () => {
    const a = new Linear(3, 2);
    const b = new Linear(3, 2);
    b.loadStateDict(a.stateDict());
    expect(Array.from(await b.weight.data())).toEqual(Array.from(await a.weight.data()));
    expect(b.stateDict().weight).toBe(b.weight);
    b.loadStateDict({ weight: { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }, bias: { shape: [2], data: [0, 0] } });
    expect(await b.weight.array()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(Array.from(await a.weight.data())).not.toEqual([1, 2, 3, 4, 5, 6]);
    a.dispose();
    b.dispose();
  });

  it('a bad state dict throws listing missing, unexpected and mismatched keys, and writes nothing', async () => {
    const m = new Linear(3, 2);
    const before = Array.from(await m.weight.data());
    let msg = '';
    try {
      m.loadStateDict({ weight: { shape: [3, 2], data: [1, 2, 3, 4, 5, 6] }, extra: { shape: [1], data: [0] } });
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/size mismatch for weight: checkpoint \[3,2\], model \[2,3\]/);
    expect(msg).toMatch(/missing keys: bias/);
    expect(msg).toMatch(/unexpected keys: extra/);
    expect(Array.from(await m.weight.data())).toEqual(before);
    m.dispose();
  });

  it('strict: false loads what matches and reports the rest', async () => {
    const m = new Linear(2, 1);
    const r = m.loadStateDict({ weight: { shape: [1, 2], data: [7, 8] }, 'head.weight': { shape: [1], data: [0] } }, { strict: false });
    expect(r).toEqual({ missingKeys: ['bias'], unexpectedKeys: ['head.weight'] });
    expect(Array.from(await m.weight.data())).toEqual([7, 8]);
    expect(() => m.loadStateDict({ weight: { shape: [2], data: [1, 2] } }, { strict: false })).toThrow(/size mismatch/);
    m.dispose();
  });

  it('non-persistent buffers stay out of the state dict', () => {
    const m = new Linear(2, 2);
    m.registerBuffer('scale', ones([2]));
    m.registerBuffer('cache', ones([2]), { persistent: false });
    expect(Object.keys(m.stateDict())).toEqual(['weight', 'bias', 'scale']);
    expect(m.namedBuffers().map(([n]) => n)).toEqual(['scale', 'cache']);
    m.dispose();
  });
});

describe('initialisation', () => {
  it('is reproducible from manualSeed and follows torch bounds (Linear: U(±1/√in))', async () => {
    manualSeed(42);
    const a = new Linear(64, 32);
    manualSeed(42);
    const b = new Linear(64, 32);
    const w = await a.weight.data();
    expect(Array.from(w)).toEqual(Array.from(await b.weight.data()));
    const bound = 1 / 8;
    expect(Math.max(...Array.from(w, Math.abs))).toBeLessThanOrEqual(bound);
    const variance = Array.from(w).reduce((s, v) => s + v * v, 0) / w.length;
    expect(Math.sqrt(variance)).toBeCloseTo(bound / Math.sqrt(3), 2);
    a.dispose();
    b.dispose();
  });

  it('MultiheadAttention: xavier in_proj, zero biases', async () => {
    const m = new MultiheadAttention(16, 4);
    const w = await m.inProjWeight.data();
    expect(Math.max(...Array.from(w, Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / (16 + 48)));
    expect(Array.from(await m.inProjBias!.data()).every((v) => v === 0)).toBe(true);
    expect(Array.from(await m.outProj.bias!.data()).every((v) => v === 0)).toBe(true);
    m.dispose();
  });
});

describe('Embedding paddingIdx', () => {
  it('starts with a zero padding row that never receives gradient', async () => {
    const emb = new Embedding(5, 3, { paddingIdx: -1 });
    expect(emb.paddingIdx).toBe(4);
    expect(Array.from((await emb.weight.data()).slice(12))).toEqual([0, 0, 0]);
    const idx = tensor([[4, 1, 4], [2, 4, 1]], { dtype: 'int32' });
    const loss = tidy(() => sum(emb.forward(idx).mul(randn([2, 3, 3]))));
    loss.backward();
    const g = await emb.weight.grad!.data();
    expect(Array.from(g.slice(12))).toEqual([0, 0, 0]);
    expect(Array.from(g.slice(3, 6)).some((v) => v !== 0)).toBe(true);
    for (const t of [idx, loss]) t.dispose();
    emb.dispose();
  });
});

describe('recurrent cells and shapes', () => {
  it('LSTMCell / GRUCell / RNNCell step equals the one-layer module on a length-1 sequence', async () => {
    const pairs = [
      [new LSTM(3, 4), new LSTMCell(3, 4)],
      [new GRU(3, 4), new GRUCell(3, 4)],
      [new RNN(3, 4), new RNNCell(3, 4)],
    ] as const;
    for (const [seq, cell] of pairs) {
      const sd = seq.stateDict();
      cell.loadStateDict({ weight_ih: sd.weight_ih_l0, weight_hh: sd.weight_hh_l0, bias_ih: sd.bias_ih_l0, bias_hh: sd.bias_hh_l0 });
      const x = randn([2, 3]);
      const h0 = randn([2, 4]);
      const c0 = randn([2, 4]);
      const viaSeq = tidy(() => {
        if (seq instanceof LSTM) return seq.forward(x.unsqueeze(0), [h0.unsqueeze(0), c0.unsqueeze(0)])[0].squeeze(0);
        return (seq as GRU).forward(x.unsqueeze(0), h0.unsqueeze(0))[0].squeeze(0);
      });
      const viaCell = tidy(() => (cell instanceof LSTMCell ? cell.forward(x, [h0, c0])[0] : (cell as GRUCell).forward(x, h0)));
      expectClose(await viaCell.data(), await viaSeq.data(), 1e-6, 1e-5, cell.constructor.name);
      for (const t of [x, h0, c0, viaSeq, viaCell]) t.dispose();
      seq.dispose();
      cell.dispose();
    }
  });

  it('unbatched input [T, in] gives [T, H] and h_n [layers, H]', () => {
    const gru = new GRU(3, 4, { numLayers: 2 });
    const x = randn([5, 3]);
    const [out, h] = gru.forward(x);
    expect([...out.shape]).toEqual([5, 4]);
    expect([...h.shape]).toEqual([2, 4]);
    expect(() => gru.forward(randn([5, 2, 7]))).toThrow(/inputSize 3/);
    for (const t of [x, out, h]) t.dispose();
    gru.dispose();
  });
});

describe('MultiheadAttention weights', () => {
  it('per-head weights [B, H, L, S] are rows of probabilities that respect a causal mask', async () => {
    const m = new MultiheadAttention(8, 2, { batchFirst: true });
    const x = randn([2, 4, 8]);
    const mask = causalMask(4);
    const [out, w] = m.forward(x, x, x, { attnMask: mask, averageAttnWeights: false });
    expect([...out.shape]).toEqual([2, 4, 8]);
    expect([...w!.shape]).toEqual([2, 2, 4, 4]);
    const a = (await w!.array()) as number[][][][];
    for (const row of a.flat(2)) expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    expect(a[1][0][1][2]).toBe(0);
    expect(a[0][1][0][3]).toBe(0);
    // the float mask from generateSquareSubsequentMask is equivalent
    const fmask = generateSquareSubsequentMask(4);
    const [out2] = m.forward(x, x, x, { attnMask: fmask, needWeights: false });
    expectClose(await out2.data(), await out.data(), 1e-6, 1e-5, 'float vs bool mask');
    for (const t of [x, mask, out, w!, fmask, out2]) t.dispose();
    m.dispose();
  });

  it('rejects masks of the wrong shape with a message that names them', () => {
    const m = new MultiheadAttention(8, 2, { batchFirst: true });
    const x = randn([2, 4, 8]);
    expect(() => m.forward(x, x, x, { keyPaddingMask: ones([4, 2], { dtype: 'bool' }) })).toThrow(/keyPaddingMask must be \[batch 2, keys 4\]/);
    expect(() => m.forward(x, x, x, { attnMask: ones([3, 4], { dtype: 'bool' }) })).toThrow(/attnMask must be \[4, 4\]/);
    x.dispose();
    m.dispose();
  });
});
