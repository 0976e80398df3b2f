// The draw-a-digit widget: its URL state, what a drawing becomes (the data set's own recipe: crop,
// scale into 32×32, count 4×4 blocks), the patch cut checked by hand, and the shipped ViT's
// weights against the test set they were measured on.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { arange, noGrad, tensor } from '../../src/engine/index.ts';
import { PAD, blankPad, stamp, strokesToDigit } from '../../src/components/widgets/beyond-text/draw.ts';
import { DEFAULT_STATE, EXAMPLES, parseState, serializeState } from '../../src/components/widgets/beyond-text/state.ts';
import { DigitViT, decodePixels, encodePixels, fromWeights, headView, patchify, predict, type ViTWeights } from '../../src/components/widgets/beyond-text/vit.ts';

const root = new URL('../../', import.meta.url);
const weights = JSON.parse(readFileSync(new URL('public/models/vit-digits/weights.json', root), 'utf8')) as ViTWeights & { testAccuracy: number; params: number };
const digits = JSON.parse(readFileSync(new URL('public/data/digits.json', root), 'utf8')) as { test: { images: string[]; labels: number[] } };

describe('state', () => {
  test('round-trips the default and any example', () => {
    expect(parseState(serializeState(DEFAULT_STATE))).toEqual(DEFAULT_STATE);
    const s = { img: EXAMPLES[7]!, head: 3 };
    expect(parseState(new URLSearchParams(serializeState(s).toString()))).toEqual(s);
  });
  test('bad input becomes the default', () => {
    expect(parseState(new URLSearchParams('img=xyz&head=9'))).toEqual(DEFAULT_STATE);
    expect(parseState(new URLSearchParams(`img=${'h'.repeat(64)}&head=-1`))).toEqual(DEFAULT_STATE);
    expect(parseState(new URLSearchParams('head=1.5')).head).toBe(0);
    expect(parseState(new URLSearchParams(''))).toEqual(DEFAULT_STATE);
  });
  test('pixels encode as the data file does: base 17, 0–16', () => {
    const px = Array.from({ length: 64 }, (_, i) => i % 17);
    expect(decodePixels(encodePixels(px))).toEqual(px);
    expect(encodePixels([16, 0, 9, 10, ...Array(60).fill(0)]).slice(0, 4)).toBe('g09a');
    expect(decodePixels('g'.repeat(63))).toBeNull();
  });
});

describe('a drawing becomes an 8×8 image of counts', () => {
  test('no strokes is all zeros', () => {
    expect(strokesToDigit([])).toEqual(Array(64).fill(0));
  });
  test('the brush inks a disc of the given radius, inside the pad', () => {
    const pad = blankPad();
    expect(stamp(pad, 0.5, 0.5, 1)).toBe(true);
    expect(pad.reduce((a, b) => a + b, 0)).toBe(1 + 2);     // the corner cell and its two neighbours
    expect(stamp(pad, 0.5, 0.5, 1)).toBe(false);            // nothing new
    expect(pad[PAD + 1]).toBe(0);                           // the diagonal neighbour is √2 away
  });
  test('a short vertical bar anywhere is scaled to full height, centred, and drawn with the pen', () => {
    for (const x of [3, 16, 29]) {
      const img = strokesToDigit([[[x, 10], [x, 14]]]);
      for (let r = 0; r < 8; r++) {
        const row = img.slice(r * 8, r * 8 + 8);
        expect(row.filter((v, c) => v > 0 && c !== 3 && c !== 4), `row ${r}`).toEqual([]);
        expect(row[3]! + row[4]!, `row ${r}`).toBeGreaterThan(0);
      }
    }
  });
  test('a diagonal fills the box corner to corner, counts within 0–16', () => {
    const img = strokesToDigit([[[4, 4], [10, 10]]]);
    expect(Math.max(...img)).toBeLessThanOrEqual(16);
    expect(img[0]).toBeGreaterThan(0);
    expect(img[63]).toBeGreaterThan(0);
    expect(img[7]).toBe(0);
    expect(img[56]).toBe(0);
  });
  test('the pen is about as thick as the data set: a drawn 0 has as much ink as an average digit', () => {
    const ring = Array.from({ length: 41 }, (_, i) => [16 + 8 * Math.cos(i * Math.PI / 20), 16 + 12 * Math.sin(i * Math.PI / 20)] as [number, number]);
    const ink = strokesToDigit([ring]).reduce((a, b) => a + b, 0);
    const mean = digits.test.images.reduce((s, im) => s + decodePixels(im)!.reduce((a, b) => a + b, 0), 0) / digits.test.images.length;
    expect(ink / mean).toBeGreaterThan(0.7);
    expect(ink / mean).toBeLessThan(1.3);
  });
});

describe('the ViT', () => {
  test('patchify cuts 2×2 patches in reading order', async () => {
    const x = arange(64).reshape([1, 64]).float();
    const p = (await patchify(x, 2).array()) as number[][][];
    expect(p[0]![0]).toEqual([0, 1, 8, 9]);
    expect(p[0]![1]).toEqual([2, 3, 10, 11]);
    expect(p[0]![4]).toEqual([16, 17, 24, 25]);
    expect(p[0]![15]).toEqual([54, 55, 62, 63]);
    const q = (await patchify(x, 4).array()) as number[][][];
    expect(q[0]![1]).toEqual([4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31]);
  });

  test('the shipped weights reach the test accuracy their file states', async () => {
    const model = fromWeights(weights);
    expect(model.numParameters()).toBe(weights.params);
    const x = tensor(digits.test.images.map((s) => decodePixels(s)!)).div(16);
    const acc = await noGrad(() => model.forward(x).logits.argmax(-1).eq(tensor(digits.test.labels, { dtype: 'int32' })).float().mean()).item();
    expect(acc).toBeCloseTo(weights.testAccuracy, 3);
    expect(acc).toBeGreaterThan(0.95);
  });

  test('every example is read as its digit, and [CLS] attention is a distribution', async () => {
    const model = fromWeights(weights);
    for (const [k, img] of EXAMPLES.entries()) {
      const p = await predict(model, decodePixels(img)!);
      expect(p.probs.indexOf(Math.max(...p.probs)), `example ${k}`).toBe(k);
      expect(p.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(p.clsAttention).toHaveLength(4);
      for (const [h, row] of p.clsAttention.entries()) {
        expect(row).toHaveLength(16);
        expect(row.reduce((a, b) => a + b, 0) + p.clsSelf[h]!).toBeCloseTo(1, 5);
      }
      const mean = headView(p.clsAttention, 0);
      expect(mean[0]).toBeCloseTo(p.clsAttention.reduce((s, r) => s + r[0]!, 0) / 4, 6);
      expect(headView(p.clsAttention, 2)).toEqual(p.clsAttention[1]);
    }
  });

  test('an untrained model of the same shape has the same parameter count', () => {
    expect(new DigitViT(weights.config).numParameters()).toBe(9674);
  });
});
