// Limits on what one run may send to the page, applied in the worker where output is made: the
// page's main thread must never spend more than a moment on a cell's output, whatever the cell did.
import type { AttentionGroup, ModelView, PlotSpec } from './protocol.ts';

/** Characters of one printed value (a string, a tensor, a preview); the rest is cut with a note. */
export const MAX_TEXT_CHARS = 20_000;
/** Characters one run may print in all; later console calls are counted, not sent. */
export const MAX_RUN_CHARS = 400_000;
/** Tensor values one print may show; a bigger print is described instead of formatted. */
export const MAX_TENSOR_VALUES = 20_000;
/** Figures one run may add (redraws of a figure with an id do not count). */
export const MAX_FIGURES = 50;
/** Marks one figure may draw; more are thinned, with a note under the figure. */
export const MAX_MARKS: Record<PlotSpec['mark'], number> = { line: 4000, scatter: 2000, bar: 400, heatmap: 4096 };

/** `text`, cut to `max` characters with a note saying how much was left out. */
export function cutText(text: string, max = MAX_TEXT_CHARS): string {
  if (text.length <= max) return text;
  const rest = text.length - max;
  return `${text.slice(0, max)}… ${rest.toLocaleString('en')} more character${rest === 1 ? '' : 's'}`;
}

/**
 * How many values a PyTorch-style print of this shape shows: every value, or `2·edgeitems` per
 * dimension once the tensor has more than `threshold` values.
 */
export function shownValueCount(shape: readonly number[], opts: { threshold: number; edgeitems: number }): number {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size <= opts.threshold) return size;
  return shape.reduce((a, n) => a * Math.min(n, 2 * opts.edgeitems), 1);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** Every k-th element, k chosen so at most `max` remain. */
function stride<T>(xs: T[], max: number): T[] {
  const k = Math.ceil(xs.length / max);
  return xs.filter((_, i) => i % k === 0);
}

/** A line keeps its shape: per bucket of consecutive points, the lowest and highest one, in order. */
function envelope(rows: PlotSpec['rows'], max: number): PlotSpec['rows'] {
  const bySeries = new Map<string, PlotSpec['rows']>();
  for (const r of rows) {
    const key = String(r.series ?? '');
    let list = bySeries.get(key);
    if (!list) bySeries.set(key, (list = []));
    list.push(r);
  }
  const perSeries = Math.max(2, Math.floor(max / bySeries.size));
  const out: PlotSpec['rows'] = [];
  for (const list of bySeries.values()) {
    if (list.length <= perSeries) {
      out.push(...list);
      continue;
    }
    const bucket = Math.ceil(list.length / Math.floor(perSeries / 2));
    for (let start = 0; start < list.length; start += bucket) {
      let lo = start;
      let hi = start;
      for (let i = start; i < Math.min(list.length, start + bucket); i++) {
        if (Number(list[i]!.y) < Number(list[lo]!.y)) lo = i;
        if (Number(list[i]!.y) > Number(list[hi]!.y)) hi = i;
      }
      out.push(list[Math.min(lo, hi)]!);
      if (hi !== lo) out.push(list[Math.max(lo, hi)]!);
    }
  }
  return out;
}

/** A big matrix averaged over blocks, so at most `max` cells remain; labels name each block's first row/column. */
function pool(spec: PlotSpec, max: number): PlotSpec {
  let rows = 0;
  let cols = 0;
  for (const r of spec.rows) {
    rows = Math.max(rows, Number(r.row) + 1);
    cols = Math.max(cols, Number(r.col) + 1);
  }
  const side = Math.floor(Math.sqrt(max));
  const fr = Math.max(1, Math.ceil(rows / side));
  const fc = Math.max(1, Math.ceil(cols / side));
  const outRows = Math.ceil(rows / fr);
  const outCols = Math.ceil(cols / fc);
  const sum = new Float64Array(outRows * outCols);
  const count = new Float64Array(outRows * outCols);
  for (const r of spec.rows) {
    const i = Math.floor(Number(r.row) / fr) * outCols + Math.floor(Number(r.col) / fc);
    sum[i]! += Number(r.value);
    count[i]!++;
  }
  const pooled: PlotSpec['rows'] = [];
  for (let i = 0; i < outRows; i++) {
    for (let j = 0; j < outCols; j++) {
      const k = i * outCols + j;
      if (count[k]) pooled.push({ row: i, col: j, value: sum[k]! / count[k]! });
    }
  }
  const label = (labels: string[] | undefined, f: number, n: number) =>
    Array.from({ length: n }, (_, i) => labels?.[i * f] ?? String(i * f));
  return {
    ...spec,
    rows: pooled,
    rowLabels: label(spec.rowLabels, fr, outRows),
    colLabels: label(spec.colLabels, fc, outCols),
    note: `A ${rows.toLocaleString('en')}×${cols.toLocaleString('en')} matrix is too big to draw cell by cell: each square is the mean of a ${fr}×${fc} block.`,
  };
}

/** A figure the page can draw in a moment: too many marks are thinned, and a note says how. */
export function boundPlot(spec: PlotSpec): PlotSpec {
  const max = MAX_MARKS[spec.mark] ?? MAX_MARKS.scatter;
  const n = spec.rows.length;
  if (n <= max) return spec;
  if (spec.mark === 'heatmap') return pool(spec, max);
  if (spec.mark === 'line') {
    const rows = envelope(spec.rows, max);
    return { ...spec, rows, note: `${plural(n, 'point')} thinned to ${plural(rows.length, 'point')} (the lowest and highest of each stretch), so the page stays responsive.` };
  }
  const rows = stride(spec.rows, max);
  const what = spec.mark === 'bar' ? 'bar' : 'point';
  return { ...spec, rows, note: `Showing ${plural(rows.length, what)} of ${n.toLocaleString('en')} (one in ${Math.ceil(n / max)}): drawing them all would freeze the page.` };
}

/** Attention groups one view may show, and the cells of all its maps together. */
export const MAX_VIEW_GROUPS = 8;
export const MAX_VIEW_CELLS = 400_000;
/** Tokens one next-token view may list, and characters of one label. */
export const MAX_VIEW_TOKENS = 8192;
const MAX_LABEL_CHARS = 40;

const labelText = (x: unknown): string => cutText(String(x), MAX_LABEL_CHARS);
const finite = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : 0);

/**
 * A model view the page can draw in a moment, whatever made it: counts, labels and numbers are
 * re-checked and cut here, in the worker (cell-viewers.ts builds views within these limits).
 */
export function boundView(view: ModelView): ModelView {
  const title = cutText(String(view.title), 200);
  const note = view.note === undefined ? undefined : cutText(String(view.note), 2000);
  if (view.view === 'next-token') {
    const n = Math.min(view.tokens.length, view.logits.length, MAX_VIEW_TOKENS);
    return {
      view: 'next-token',
      title,
      context: view.context.slice(-256).map(labelText),
      tokens: view.tokens.slice(0, n).map(labelText),
      logits: view.logits.slice(0, n).map((v) => (typeof v === 'number' && !Number.isNaN(v) ? v : -Infinity)),
      ...(note === undefined ? {} : { note }),
    };
  }
  let cells = 0;
  const groups: AttentionGroup[] = [];
  for (const g of view.groups.slice(0, MAX_VIEW_GROUPS)) {
    const { layers, heads, rows, cols } = g.maps;
    const size = layers * heads * rows * cols;
    const whole = [layers, heads, rows, cols].every((d) => Number.isInteger(d) && d > 0);
    if (!whole || g.maps.data.length !== size || g.rows.length !== rows || g.cols.length !== cols) continue;
    if ((cells += size) > MAX_VIEW_CELLS) break;
    groups.push({ kind: labelText(g.kind), rows: g.rows.map(labelText), cols: g.cols.map(labelText), maps: { layers, heads, rows, cols, data: g.maps.data.map(finite) } });
  }
  return { view: 'attention', title, groups, ...(note === undefined ? {} : { note }) };
}
