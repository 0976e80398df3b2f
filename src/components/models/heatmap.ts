// Attention maps as Observable Plot heatmaps: queries down, keys across, one cell per weight.
import * as Plot from '@observablehq/plot';
import type { AttentionMaps } from '../../runtime/models/session.ts';

/** Weights of one layer and head as rows (query) of columns (key). */
export function headMatrix(maps: AttentionMaps, layer: number, head: number): Float32Array {
  const size = maps.rows * maps.cols;
  const offset = (layer * maps.heads + head) * size;
  return maps.data.subarray(offset, offset + size);
}

/**
 * One layer's weights as rows × cols: one head's, or the mean over heads when `head` is −1 (the
 * pickers' "mean of heads"). Layer and head are clamped to the maps (a smaller model than the URL's).
 */
export function layerWeights(maps: AttentionMaps, layer: number, head: number): Float32Array {
  const l = Math.min(layer, maps.layers - 1);
  if (head >= 0) return headMatrix(maps, l, Math.min(head, maps.heads - 1));
  const out = new Float32Array(maps.rows * maps.cols);
  for (let h = 0; h < maps.heads; h++) headMatrix(maps, l, h).forEach((v, i) => (out[i]! += v / maps.heads));
  return out;
}

export interface HeatmapOptions {
  rowLabels: string[];
  colLabels: string[];
  /** Pixel size of the whole plot (small thumbnails omit the axes). */
  width: number;
  thumbnail?: boolean;
  title?: string;
}

const show = (t: string): string => (t === ' ' ? '␣' : t.replace(/\n/g, '⏎'));

export function heatmap(matrix: Float32Array, opts: HeatmapOptions): HTMLElement | SVGSVGElement {
  const { rowLabels, colLabels, width, thumbnail } = opts;
  const cells: Array<{ q: number; k: number; w: number }> = [];
  for (let q = 0; q < rowLabels.length; q++) for (let k = 0; k < colLabels.length; k++) cells.push({ q, k, w: matrix[q * colLabels.length + k]! });
  const margin = thumbnail ? 2 : 90;
  const height = thumbnail ? width : Math.max(160, Math.min(640, 22 * rowLabels.length + margin));
  return Plot.plot({
    width,
    height,
    marginLeft: margin,
    marginBottom: thumbnail ? 2 : 80,
    marginTop: thumbnail ? 2 : 10,
    marginRight: 2,
    padding: 0,
    ariaLabel: opts.title,
    x: { axis: thumbnail ? null : 'bottom', tickRotate: -60, tickFormat: (k: number) => show(colLabels[k] ?? ''), label: null, domain: colLabels.map((_, i) => i) },
    y: { axis: thumbnail ? null : 'left', tickFormat: (q: number) => show(rowLabels[q] ?? ''), label: null, domain: rowLabels.map((_, i) => i) },
    color: { scheme: 'blues', domain: [0, 1], legend: !thumbnail, label: 'attention weight' },
    marks: [
      Plot.cell(cells, { x: 'k', y: 'q', fill: 'w', inset: 0, tip: !thumbnail, title: thumbnail ? undefined : (d: { q: number; k: number; w: number }) => `${show(rowLabels[d.q]!)} → ${show(colLabels[d.k]!)}: ${d.w.toFixed(3)}` }),
    ],
  });
}

export function barChart(rows: Array<{ label: string; probability: number }>, width: number, title: string): HTMLElement | SVGSVGElement {
  return Plot.plot({
    width,
    height: 28 * rows.length + 40,
    marginLeft: 120,
    marginRight: 48, // room for the longest bar's percentage label
    ariaLabel: title,
    x: { domain: [0, Math.max(0.05, ...rows.map((r) => r.probability))], label: 'probability', grid: true },
    y: { domain: rows.map((r) => r.label), label: null },
    marks: [
      Plot.barX(rows, { x: 'probability', y: 'label', fill: 'steelblue' }),
      Plot.text(rows, { x: 'probability', y: 'label', text: (d: { probability: number }) => `${(d.probability * 100).toFixed(1)}%`, dx: 4, textAnchor: 'start' }),
    ],
  });
}
