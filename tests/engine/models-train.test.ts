// Whole models in use: a small GPT learns a tiny corpus with a flat memory footprint; attention
// maps come back per layer and head; generation is seeded and greedy decoding is the argmax.
import { describe, expect, it } from 'vitest';
import { Generator, argmax, cat, crossEntropy, manualSeed, memory, noGrad, select, tensor, tidy } from '../../src/engine/index.ts';
import { BERT, GPT, Seq2Seq } from '../../src/engine/models/index.ts';
import { AdamW, clipGradNorm } from '../../src/engine/optim/index.ts';
import { CharTokenizer } from '../../src/engine/text/index.ts';
import { expectClose } from './helpers.ts';

describe('training a small GPT', () => {
  it('loss falls below 0.8 within 80 AdamW steps on a tiny corpus, with live tensors flat', async () => {
    manualSeed(0);
    const corpus = 'the cat sat on the mat. the dog sat on the log. '.repeat(20);
    const tok = CharTokenizer.fromCorpus(corpus);
    const ids = tok.encode(corpus);
    const V = tok.vocabSize;
    const T = 16;
    const B = 8;
    const model = new GPT({ vocabSize: V, blockSize: T, nLayer: 2, nHead: 2, nEmbd: 32 });
    const opt = new AdamW(model.parameters(), { lr: 1e-2, weightDecay: 0.01 });
    const batches = new Generator(1);
    const losses: number[] = [];
    const live: number[] = [];
    for (let step = 0; step < 80; step++) {
      const xs = new Int32Array(B * T);
      const ys = new Int32Array(B * T);
      for (let b = 0; b < B; b++) {
        const o = batches.randint(0, ids.length - T - 1);
        for (let t = 0; t < T; t++) {
          xs[b * T + t] = ids[o + t];
          ys[b * T + t] = ids[o + t + 1];
        }
      }
      const loss = tidy(() => {
        const x = tensor(xs, { shape: [B, T], dtype: 'int32' });
        const y = tensor(ys, { shape: [B * T], dtype: 'int32' });
        const l = crossEntropy(model.forward(x).reshape(-1, V), y); // (B·T, V) vs (B·T,)
        l.backward();
        return l;
      });
      clipGradNorm(model.parameters(), 1.0).dispose();
      opt.step();
      opt.zeroGrad();
      losses.push(await loss.item());
      loss.dispose();
      live.push(memory().liveTensors);
    }
    expect(losses[0]).toBeGreaterThan(2); // ≈ ln(V) at the start
    const tail = losses.slice(-5).reduce((a, b) => a + b, 0) / 5;
    expect(tail).toBeLessThan(0.8);
    // after the first step created the optimizer state, nothing accumulates
    expect(new Set(live.slice(1)).size).toBe(1);

    // the trained model has learnt the corpus's words: greedy decoding finishes "t" as "the "
    model.eval();
    const prompt = tensor(Int32Array.from(tok.encode('the cat sat on t')), { shape: [1, 16], dtype: 'int32' });
    const out = await model.generate(prompt, { maxNewTokens: 6, temperature: 0 });
    expect(tok.decode(Array.from(await out.data()).slice(16))).toMatch(/^he /);
    prompt.dispose();
    out.dispose();
    opt.dispose();
    model.dispose();
  });
});

describe('attention maps', () => {
  it('GPT returns causal per-head weights for every layer, and the same logits', async () => {
    manualSeed(1);
    const m = new GPT({ vocabSize: 11, blockSize: 6, nLayer: 3, nHead: 2, nEmbd: 8 }).eval();
    const idx = tensor([[1, 2, 3, 4, 5], [5, 4, 3, 2, 1]], { dtype: 'int32' });
    const plain = m.forward(idx);
    const { logits, attention } = m.forward(idx, { returnAttention: true });
    expect(attention.length).toBe(3);
    expectClose(await logits.data(), await plain.data(), 0, 0, 'logits');
    for (const a of attention) {
      expect([...a.shape]).toEqual([2, 2, 5, 5]);
      const rows = ((await a.array()) as number[][][][]).flat(2);
      rows.forEach((row, r) => {
        const i = r % 5;
        expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
        expect(row.slice(i + 1).every((v) => v === 0)).toBe(true);
      });
    }
    for (const t of [idx, plain, logits, ...attention]) t.dispose();
    m.dispose();
  });

  it('BERT gives zero attention to padding keys', async () => {
    manualSeed(2);
    const m = new BERT({ vocabSize: 12, maxLen: 6, nLayer: 2, nHead: 2, nEmbd: 8 }).eval();
    const idx = tensor([[2, 5, 6, 3, 0, 0]], { dtype: 'int32' });
    const pad = tensor([[false, false, false, false, true, true]]);
    const { logits, attention } = m.forward(idx, { keyPaddingMask: pad, returnAttention: true });
    expect([...logits.shape]).toEqual([1, 6, 12]);
    for (const a of attention) {
      for (const row of ((await a.array()) as number[][][][]).flat(2)) expect(row.slice(4)).toEqual([0, 0]);
    }
    for (const t of [idx, pad, logits, ...attention]) t.dispose();
    m.dispose();
  });

  it('Seq2Seq returns encoder, decoder-self and cross attention of the right shapes', () => {
    manualSeed(3);
    const m = new Seq2Seq({ vocabSize: 10, maxLen: 8, nLayer: 2, nHead: 2, nEmbd: 8 }).eval();
    const src = tensor([[3, 4, 5, 6, 7]], { dtype: 'int32' });
    const tgt = tensor([[1, 3, 4]], { dtype: 'int32' });
    const r = m.forward(src, tgt, { returnAttention: true });
    expect(r.encoderAttention.map((a) => [...a.shape])).toEqual([[1, 2, 5, 5], [1, 2, 5, 5]]);
    expect(r.decoderSelfAttention.map((a) => [...a.shape])).toEqual([[1, 2, 3, 3], [1, 2, 3, 3]]);
    expect(r.crossAttention.map((a) => [...a.shape])).toEqual([[1, 2, 3, 5], [1, 2, 3, 5]]);
    for (const t of [src, tgt, r.logits, ...r.encoderAttention, ...r.decoderSelfAttention, ...r.crossAttention]) t.dispose();
    expect(Object.keys(m.stateDict())).not.toContain('pe');
    m.dispose();
  });
});

describe('generation', () => {
  it('GPT.forwardCached gives forward()\'s logits, position by position, from a KV cache', async () => {
    manualSeed(6);
    const m = new GPT({ vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 8 }).eval();
    const idx = tensor([[3, 1, 4, 1, 5, 9, 2], [6, 5, 3, 5, 8, 9, 7]], { dtype: 'int32' });
    const before = memory().liveTensors;
    const full = noGrad(() => m.forward(idx)); // [2, 7, 11]
    const cache = m.createCache();
    // a prompt of 3 (causal mask inside the chunk), then 1, then 3 more at once
    const parts = [[0, 3], [3, 4], [4, 7]].map(([a, b]) => noGrad(() => tidy(() => m.forwardCached(idx.slice(1, a, b), cache))));
    expect(cache[0].length).toBe(7);
    const stitched = cat(parts, 1);
    expectClose(await stitched.data(), await full.data(), 1e-5, 1e-4, 'cached logits');
    const two = tensor([[1, 2]], { dtype: 'int32' });
    expect(() => m.forwardCached(two, cache)).toThrow('GPT: sequence length 9 (7 cached + 2) exceeds blockSize 8');
    two.dispose();
    for (const c of cache) c.dispose();
    for (const t of [full, stitched, ...parts]) t.dispose();
    expect(memory().liveTensors).toBe(before);
    idx.dispose();
    m.dispose();
  });

  it('GPT.generate samples the same tokens with and without its KV cache, past blockSize too', async () => {
    manualSeed(7);
    const m = new GPT({ vocabSize: 13, blockSize: 6, nLayer: 2, nHead: 2, nEmbd: 8 }).eval();
    const idx = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'int32' });
    const before = memory().liveTensors;
    const opts = { maxNewTokens: 8, temperature: 1, topK: 5 };
    const cached = await m.generate(idx, { ...opts, generator: new Generator(3) });
    const plain = await m.generate(idx, { ...opts, generator: new Generator(3), useCache: false });
    expect(Array.from(await cached.data())).toEqual(Array.from(await plain.data()));
    for (const t of [cached, plain]) t.dispose();
    expect(memory().liveTensors).toBe(before);
    idx.dispose();
    m.dispose();
  });

  it('GPT.generate is reproducible with a seeded generator and crops the context to blockSize', async () => {
    manualSeed(4);
    const m = new GPT({ vocabSize: 9, blockSize: 4, nLayer: 1, nHead: 1, nEmbd: 8 }).eval();
    const idx = tensor([[1, 2, 3]], { dtype: 'int32' });
    const before = memory().liveTensors;
    const a = await m.generate(idx, { maxNewTokens: 7, temperature: 1, topK: 3, generator: new Generator(9) });
    const b = await m.generate(idx, { maxNewTokens: 7, temperature: 1, topK: 3, generator: new Generator(9) });
    expect([...a.shape]).toEqual([1, 10]);
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    expect(Array.from(await a.data()).slice(0, 3)).toEqual([1, 2, 3]);
    for (const t of [a, b]) t.dispose();
    expect(memory().liveTensors).toBe(before);
    // greedy = the argmax of the last position, step by step
    const g = await m.generate(idx, { maxNewTokens: 1, temperature: 0 });
    const expected = noGrad(() => tidy(() => argmax(select(m.forward(idx), 1, 2), -1)));
    expect((await g.data())[3]).toBe((await expected.data())[0]);
    for (const t of [g, expected, idx]) t.dispose();
    m.dispose();
  });

  it('Seq2Seq.decodeCached gives decode()\'s logits from a KV cache; generate writes the same with and without it', async () => {
    manualSeed(8);
    const m = new Seq2Seq({ vocabSize: 12, maxLen: 8, nLayer: 2, nHead: 2, nEmbd: 8 }).eval();
    const src = tensor([[3, 4, 5, 0], [6, 7, 8, 9]], { dtype: 'int32' });
    const pad = src.eq(0);
    const tgt = tensor([[1, 4, 2, 7, 3, 3], [1, 9, 8, 5, 2, 6]], { dtype: 'int32' });
    const before = memory().liveTensors;
    const mem = noGrad(() => m.encode(src, pad));
    const full = noGrad(() => m.decode(tgt, mem, pad)); // [2, 6, 12]
    const cache = m.createCache();
    const parts = [[0, 1], [1, 4], [4, 5], [5, 6]].map(([a, b]) => noGrad(() => tidy(() => m.decodeCached(tgt.slice(1, a, b), mem, pad, cache))));
    expect(cache[0].self.length).toBe(6);
    expect(cache[0].memory.length).toBe(4); // the source's positions, projected once
    const stitched = cat(parts, 1);
    expectClose(await stitched.data(), await full.data(), 1e-5, 1e-4, 'cached logits');
    const more = tensor([[1, 2, 3], [1, 2, 3]], { dtype: 'int32' });
    expect(() => m.decodeCached(more, mem, pad, cache)).toThrow('Seq2Seq: sequence length 9 exceeds maxLen 8');
    for (const c of cache) { c.self.dispose(); c.memory.dispose(); }
    for (const t of [more, mem, full, stitched, ...parts]) t.dispose();
    const opts = { maxNewTokens: 7, startId: 1, srcKeyPaddingMask: pad };
    const cached = await m.generate(src, opts);
    const plain = await m.generate(src, { ...opts, useCache: false });
    expect(await cached.array()).toEqual(await plain.array());
    for (const t of [cached, plain]) t.dispose();
    expect(memory().liveTensors).toBe(before);
    for (const t of [src, pad, tgt]) t.dispose();
    m.dispose();
  });

  it('Seq2Seq.generate decodes greedily from startId and stops at endId', async () => {
    manualSeed(5);
    const m = new Seq2Seq({ vocabSize: 10, maxLen: 8, nLayer: 1, nHead: 2, nEmbd: 8 }).eval();
    const src = tensor([[3, 4, 5], [6, 7, 8]], { dtype: 'int32' });
    const out = await m.generate(src, { maxNewTokens: 4, startId: 1 });
    expect([...out.shape]).toEqual([2, 5]);
    const rows = (await out.array()) as number[][];
    expect(rows.map((r) => r[0])).toEqual([1, 1]);
    // each generated token is the argmax of decode(prefix)
    const tgt = tensor(rows.flatMap((r) => r.slice(0, 4)), { shape: [2, 4], dtype: 'int32' });
    const best = noGrad(() => tidy(() => argmax(m.forward(src, tgt), -1)));
    expect((await best.array()) as number[][]).toEqual(rows.map((r) => r.slice(1)));
    const stop = rows[0][1];
    const stopped = await m.generate(src.slice(0, 0, 1), { maxNewTokens: 4, startId: 1, endId: stop });
    expect([...stopped.shape]).toEqual([1, 2]);
    for (const t of [src, out, tgt, best, stopped]) t.dispose();
    m.dispose();
  });
});
