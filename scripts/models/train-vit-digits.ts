// Trains the small Vision Transformer that the beyond-text chapter's draw-a-digit widget runs
// (public/models/vit-digits/weights.json) with the book's own engine, on the training part of
// public/data/digits.json, and measures it on the test part. The same architecture as the
// chapter's in-page model (src/components/widgets/beyond-text/vit.ts), trained longer with a
// cosine learning-rate decay. (The widget scales and centres a drawing the way the data set's
// images were made, so no shifted copies are needed: on these 8×8 images they cost accuracy.)
//
// Usage (repository root, Node ≥ 22): source scripts/setup.sh &&
//   node --experimental-transform-types scripts/models/train-vit-digits.ts [epochs, default 30]
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { Generator, crossEntropy, manualSeed, noGrad, optim, tensor } from '../../src/engine/index.ts';
import { DEFAULT_CONFIG, DigitViT, MAX_PIXEL, decodePixels } from '../../src/components/widgets/beyond-text/vit.ts';

const EPOCHS = Number(process.argv[2] ?? 30);
const BATCH = 32;
const LR = 3e-3;
const SEED = 0;

const root = new URL('../../', import.meta.url);
const data = JSON.parse(readFileSync(new URL('public/data/digits.json', root), 'utf8')) as {
  train: { images: string[]; labels: number[] }; test: { images: string[]; labels: number[] };
};
const images = (list: string[]) => list.map((s) => decodePixels(s)!);
const train = { x: images(data.train.images), y: data.train.labels };
const test = { x: images(data.test.images), y: data.test.labels };

manualSeed(SEED);
const gen = new Generator(SEED + 1);
const model = new DigitViT(DEFAULT_CONFIG);
const opt = new optim.Adam(model.parameters(), { lr: LR });
const scale = (rows: number[][]) => tensor(rows).div(MAX_PIXEL);
const xTest = scale(test.x);
const yTest = tensor(test.y, { dtype: 'int32' });
const n = train.x.length;
const steps = EPOCHS * Math.floor(n / BATCH);
const started = performance.now();
let step = 0;
const log: string[] = [];
for (let epoch = 1; epoch <= EPOCHS; epoch++) {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(gen.random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let total = 0, batches = 0;
  for (let s = 0; s + BATCH <= n; s += BATCH) {
    opt.lr = LR * 0.5 * (1 + Math.cos(Math.PI * step / steps));   // cosine decay to 0
    const idx = order.slice(s, s + BATCH);
    const x = scale(idx.map((i) => train.x[i]!));
    const y = tensor(idx.map((i) => train.y[i]!), { dtype: 'int32' });
    const loss = crossEntropy(model.forward(x).logits, y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    total += await loss.item();
    batches++;
    step++;
  }
  const accuracy = await noGrad(() => model.forward(xTest).logits.argmax(-1).eq(yTest).float().mean()).item();
  const line = `epoch ${epoch} loss ${(total / batches).toFixed(4)} test accuracy ${(100 * accuracy).toFixed(1)} % (${((performance.now() - started) / 1000).toFixed(0)} s)`;
  console.log(line);
  log.push(line);
}
model.eval();
const accuracy = await noGrad(() => model.forward(xTest).logits.argmax(-1).eq(yTest).float().mean()).item();
const weights: Record<string, { shape: number[]; data: number[] }> = {};
for (const [name, t] of Object.entries(model.stateDict())) {
  weights[name] = { shape: [...t.shape], data: Array.from(await t.data(), (v) => Number(v.toPrecision(6))) };
}
const out = new URL('public/models/vit-digits/', root);
mkdirSync(out, { recursive: true });
const file = {
  config: DEFAULT_CONFIG,
  params: model.numParameters(),
  training: { epochs: EPOCHS, batch: BATCH, lr: LR, schedule: 'cosine', seed: SEED },
  testAccuracy: Number(accuracy.toFixed(4)),
  weights,
};
writeFileSync(new URL('weights.json', out), JSON.stringify(file) + '\n');
writeFileSync(new URL('train-log.txt', out), log.join('\n') + '\n');
console.log(`test accuracy ${(100 * accuracy).toFixed(1)} %, ${model.numParameters()} parameters, ${((performance.now() - started) / 1000).toFixed(0)} s`);
