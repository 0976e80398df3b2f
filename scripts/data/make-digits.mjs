// Writes public/data/digits.json: the 8×8 handwritten digits the vision cells of the last chapter
// (beyond-text) train a small Vision Transformer on. The 1,797 images are the test set of UCI's
// "Optical Recognition of Handwritten Digits" (E. Alpaydin, C. Kaynak, 1998; CC BY 4.0), as
// scikit-learn ships them in sklearn/datasets/data/digits.csv.gz (BSD-3-Clause; Debian's
// python3-sklearn package carries the file). Each row: 64 pixel counts 0–16, then the label.
//
// Usage: node scripts/data/make-digits.mjs <path to digits.csv.gz>
//
// Output: a fixed split (a seeded shuffle, then the last TEST images are the test set), each image
// as one 64-character string, one base-17 digit per pixel (0–9, then a–g for 10–16), row by row.
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const TEST = 360;
const SEED = 0;
const src = process.argv[2];
if (!src) throw new Error('usage: node scripts/data/make-digits.mjs <path to digits.csv.gz>');

const rows = gunzipSync(readFileSync(src)).toString('utf8').trim().split('\n')
  .map((line) => line.split(',').map(Number));
if (rows.length !== 1797 || rows.some((r) => r.length !== 65)) throw new Error('expected 1797 rows of 64 pixels + label');

// mulberry32: a small seeded generator, so the split is the same on every machine.
let state = SEED >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const order = rows.map((_, i) => i);
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [order[i], order[j]] = [order[j], order[i]];
}

const encode = (r) => r.slice(0, 64).map((v) => v.toString(17)).join('');
const part = (idx) => ({ images: idx.map((i) => encode(rows[i])), labels: idx.map((i) => rows[i][64]) });
const out = {
  source: 'UCI ML Repository, Optical Recognition of Handwritten Digits (E. Alpaydin, C. Kaynak, 1998; CC BY 4.0), test set as shipped by scikit-learn (BSD-3-Clause)',
  format: '8×8 images, row by row, one base-17 character per pixel (0–9, a–g = 0–16)',
  train: part(order.slice(0, rows.length - TEST)),
  test: part(order.slice(rows.length - TEST)),
};
writeFileSync(new URL('../../public/data/digits.json', import.meta.url), JSON.stringify(out) + '\n');
console.log(`wrote ${out.train.labels.length} training and ${out.test.labels.length} test images`);
