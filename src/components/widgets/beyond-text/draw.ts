// What happens to a drawing before the model sees it: the UCI digits were made by scaling each
// handwritten digit into a 32×32 bitmap and counting the on-pixels in every 4×4 block (0–16), so
// a drawing goes through the same steps. Its strokes (points in pad cells) are cropped to their
// extent, scaled so the longer side fills the box and centred, then drawn again into 32×32 with a
// pen as thick as the data set's (a third of its bitmaps' pixels are ink), and counted. No DOM.
import { SIDE } from './vit.ts';

export const PAD = 32;
const BLOCK = PAD / SIDE;

/** A blank pad: PAD × PAD cells, 1 = ink. */
export function blankPad(): Uint8Array {
  return new Uint8Array(PAD * PAD);
}

/** Ink a round brush of `radius` cells at (x, y) in pad cells; true if anything changed. */
export function stamp(pad: Uint8Array, x: number, y: number, radius = 1.6): boolean {
  let changed = false;
  for (let r = Math.floor(y - radius); r <= Math.ceil(y + radius); r++) {
    for (let c = Math.floor(x - radius); c <= Math.ceil(x + radius); c++) {
      if (r < 0 || r >= PAD || c < 0 || c >= PAD) continue;
      if ((c + 0.5 - x) ** 2 + (r + 0.5 - y) ** 2 > radius * radius) continue;
      if (!pad[r * PAD + c]) changed = true;
      pad[r * PAD + c] = 1;
    }
  }
  return changed;
}

/** A straight stroke from (x0, y0) to (x1, y1), stamped every half cell. */
export function stroke(pad: Uint8Array, x0: number, y0: number, x1: number, y1: number, radius = 1.6): void {
  const n = Math.max(1, Math.ceil(2 * Math.hypot(x1 - x0, y1 - y0)));
  for (let i = 0; i <= n; i++) stamp(pad, x0 + ((x1 - x0) * i) / n, y0 + ((y1 - y0) * i) / n, radius);
}

/** A stroke: the pointer's path in pad cells. */
export type Stroke = [number, number][];

/** Pen radius in the 32×32 bitmap: about as thick as the scanned digits' strokes. */
export const PEN = 2.6;

/** Strokes as the data set's 8×8 image: crop, fit the longer side to the box, centre, redraw with PEN, count 4×4 blocks. */
export function strokesToDigit(strokes: readonly Stroke[], pen = PEN): number[] {
  const points = strokes.flat();
  const out = new Array<number>(SIDE * SIDE).fill(0);
  if (!points.length) return out;
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
  const left = Math.min(...xs), top = Math.min(...ys);
  const w = Math.max(...xs) - left, h = Math.max(...ys) - top;
  const room = PAD - 2 * pen;                                  // the pen's centre stays inside
  const scale = Math.max(w, h) > 0 ? room / Math.max(w, h) : 0;
  const x0 = (PAD - w * scale) / 2, y0 = (PAD - h * scale) / 2;
  const bitmap = blankPad();
  for (const s of strokes) {
    const q = s.map(([x, y]) => [x0 + (x - left) * scale, y0 + (y - top) * scale] as const);
    for (let i = 0; i < q.length; i++) {
      const a = q[Math.max(0, i - 1)]!, b = q[i]!;
      stroke(bitmap, a[0], a[1], b[0], b[1], pen);
    }
  }
  for (let r = 0; r < PAD; r++) {
    for (let c = 0; c < PAD; c++) if (bitmap[r * PAD + c]) out[Math.floor(r / BLOCK) * SIDE + Math.floor(c / BLOCK)]! += 1;
  }
  return out;
}
