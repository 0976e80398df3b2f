// The GPT training step the benchmarks time, once for the engine and once for TensorFlow.js, so
// the CPU bench (engine-cpu.bench.ts, Node) and the WebGPU page (webgpu-page/, Chromium) run the
// same workload: a 2-layer GPT, d = 64, 4 heads, context 64, batch 16, vocab 65 (a
// character-level Shakespeare-sized model); one step = forward + backward + AdamW (lr 1e-3, wd 0.01).
//
// The tfjs GPT is written with tfjs ops to match the engine's model FLOP for FLOP: the same
// pre-norm blocks (layer norm, one packed q/k/v projection with bias, 4 heads of scaled
// dot-product attention with an additive causal mask, output projection, residual; layer
// norm, 4d GELU (exact, erf) feed-forward, residual), final layer norm, lm head tied to the
// token embedding, mean cross-entropy; gradients from tf.variableGrads and a hand-written
// AdamW (tfjs has no AdamW) with the engine's formula. One difference: tfjs looks up token
// embeddings as a one-hot matmul (tfjs-wasm lacks gather's gradient), ~3% more FLOPs on the
// tfjs side. The caller passes in its tfjs (Node bundles it, the page imports it) with a
// backend already set and the gradients registered.
import * as E from '../src/engine/index.ts';
import { GPT } from '../src/engine/models/index.ts';
import { AdamW } from '../src/engine/optim/index.ts';

type Tf = typeof import('@tensorflow/tfjs-core');
type TfTensor = import('@tensorflow/tfjs-core').Tensor;
type TfScalar = import('@tensorflow/tfjs-core').Scalar;

export const GPT_CFG = { vocabSize: 65, blockSize: 64, nLayer: 2, nHead: 4, nEmbd: 64 };
export const GPT_BATCH = 16;
export const GPT_DESCRIBE = '2 layers, d 64, 4 heads, context 64, batch 16, vocab 65; forward + backward + AdamW';

/** A training setup: `step()` runs one step and returns its loss (the caller disposes it). */
export interface GptTrainer<L> {
  step(): L;
  dispose(): void;
}

function batch(seed: number): { x: Int32Array; y: Int32Array } {
  const g = new E.Generator(seed);
  const x = new Int32Array(GPT_BATCH * GPT_CFG.blockSize);
  const y = new Int32Array(GPT_BATCH * GPT_CFG.blockSize);
  for (let i = 0; i < x.length; i++) {
    x[i] = g.randint(0, GPT_CFG.vocabSize);
    y[i] = g.randint(0, GPT_CFG.vocabSize);
  }
  return { x, y };
}

/** The engine's GPT on the current backend (its parameters live there). */
export function engineGptTrainer(): GptTrainer<E.Tensor> {
  E.manualSeed(0);
  const model = new GPT({ ...GPT_CFG, dropout: 0 });
  const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 });
  const { x: xs, y: ys } = batch(1);
  const x = E.tensor(xs, { shape: [GPT_BATCH, GPT_CFG.blockSize], dtype: 'int32' });
  const y = E.tensor(ys, { shape: [GPT_BATCH * GPT_CFG.blockSize], dtype: 'int32' });
  return {
    step() {
      const loss = E.tidy(() => {
        const l = E.crossEntropy(model.forward(x).reshape(-1, GPT_CFG.vocabSize), y);
        l.backward();
        return l;
      });
      opt.step();
      opt.zeroGrad();
      return loss;
    },
    dispose() {
      for (const t of [x, y]) t.dispose();
      opt.dispose();
      model.dispose();
    },
  };
}

/** The same model in tfjs ops, on tfjs's current backend. */
export function tfjsGptTrainer(tf: Tf): GptTrainer<TfScalar> {
  const { vocabSize: V, blockSize: T, nLayer, nHead: H, nEmbd: C } = GPT_CFG;
  const B = GPT_BATCH;
  const d = C / H;
  const normal = (shape: number[], std: number): import('@tensorflow/tfjs-core').Variable => tf.variable(tf.randomNormal(shape, 0, std));
  const zerosV = (shape: number[]): import('@tensorflow/tfjs-core').Variable => tf.variable(tf.zeros(shape));
  const onesV = (shape: number[]): import('@tensorflow/tfjs-core').Variable => tf.variable(tf.ones(shape));
  const tokEmb = normal([V, C], 0.02);
  const posEmb = normal([T, C], 0.02);
  const layers = Array.from({ length: nLayer }, () => ({
    ln1g: onesV([C]), ln1b: zerosV([C]),
    wqkv: normal([C, 3 * C], 0.1), bqkv: zerosV([3 * C]),
    wo: normal([C, C], 0.1), bo: zerosV([C]),
    ln2g: onesV([C]), ln2b: zerosV([C]),
    w1: normal([C, 4 * C], 0.1), b1: zerosV([4 * C]),
    w2: normal([4 * C, C], 0.05), b2: zerosV([C]),
  }));
  const lnfG = onesV([C]);
  const lnfB = zerosV([C]);
  const vars = [tokEmb, posEmb, ...layers.flatMap((l) => Object.values(l)), lnfG, lnfB];
  const m = vars.map((v) => tf.variable(tf.zerosLike(v)));
  const v2 = vars.map((v) => tf.variable(tf.zerosLike(v)));
  const { x: xs, y: ys } = batch(1);
  const idxOneHot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(xs, 'int32'), V), 'float32')); // (B·T, V)
  const targets = tf.tidy(() => tf.oneHot(tf.tensor1d(ys, 'int32'), V));
  // additive causal mask: 0 on and below the diagonal, -1e9 above
  const mask = tf.tidy(() => tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([T, T]), -1, 0)), -1e9));

  const layerNorm = (x: TfTensor, g: TfTensor, b: TfTensor): TfTensor => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), g), b);
  };
  const gelu = (x: TfTensor): TfTensor => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
  const lossFn = (): TfScalar => {
    // embedding lookup as a one-hot matmul: tfjs-wasm has no gradient kernel for gather
    // (UnsortedSegmentSum); this adds ~3% FLOPs to the tfjs step, none to the engine's
    let x = tf.add(tf.reshape(tf.matMul(idxOneHot, tokEmb), [B, T, C]), posEmb) as TfTensor; // (B, T, C)
    for (const l of layers) {
      const h = layerNorm(x, l.ln1g, l.ln1b);
      const qkv = tf.add(tf.matMul(tf.reshape(h, [B * T, C]), l.wqkv), l.bqkv); // (B·T, 3C)
      const [q, k, v] = tf.split(tf.reshape(qkv, [B, T, 3 * C]), 3, -1).map((t) => tf.transpose(tf.reshape(t, [B, T, H, d]), [0, 2, 1, 3])); // (B, H, T, d)
      const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(d)), mask); // (B, H, T, T)
      const att = tf.matMul(tf.softmax(scores), v); // (B, H, T, d)
      const merged = tf.reshape(tf.transpose(att, [0, 2, 1, 3]), [B * T, C]);
      x = tf.add(x, tf.reshape(tf.add(tf.matMul(merged, l.wo), l.bo), [B, T, C]));
      const h2 = tf.reshape(layerNorm(x, l.ln2g, l.ln2b), [B * T, C]);
      const f = tf.add(tf.matMul(gelu(tf.add(tf.matMul(h2, l.w1), l.b1)), l.w2), l.b2); // (B·T, C)
      x = tf.add(x, tf.reshape(f, [B, T, C]));
    }
    const logits = tf.matMul(tf.reshape(layerNorm(x, lnfG, lnfB), [B * T, C]), tokEmb, false, true); // (B·T, V)
    return tf.losses.softmaxCrossEntropy(targets, logits) as TfScalar;
  };
  let stepCount = 0;
  const lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.01;
  return {
    step() {
      stepCount++;
      return tf.tidy(() => {
        const { value, grads } = tf.variableGrads(lossFn, vars);
        const bc1 = 1 - b1 ** stepCount;
        const bc2 = 1 - b2 ** stepCount;
        vars.forEach((p, i) => {
          const g = grads[p.name]!;
          m[i]!.assign(tf.add(tf.mul(m[i]!, b1), tf.mul(g, 1 - b1)));
          v2[i]!.assign(tf.add(tf.mul(v2[i]!, b2), tf.mul(tf.square(g), 1 - b2)));
          const denom = tf.add(tf.div(tf.sqrt(v2[i]!), Math.sqrt(bc2)), eps);
          p.assign(tf.sub(tf.mul(p, 1 - lr * wd), tf.mul(tf.div(m[i]!, denom), lr / bc1)));
        });
        return value;
      });
    },
    dispose: () => tf.dispose([...vars, ...m, ...v2, idxOneHot, targets, mask]),
  };
}
