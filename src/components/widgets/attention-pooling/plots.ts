// The attention-pooling widget's two figures, drawn with Observable Plot. Colours are CSS
// variables (see attention-pooling.css), so a theme switch restyles them without a redraw.
// Marks are named with className (tests find them by it): a mark's ariaLabel is a per-datum
// channel in Plot, and a constant string there would be read as a missing field.
import * as Plot from '@observablehq/plot';
import { asImage, plotFrame, type FigureSize } from '../figure.ts';
import { KERNEL_LABELS } from './kernels.ts';
import type { PoolingData, PoolingResult } from './nadaraya-watson.ts';

export type { FigureSize };

const common = (size: FigureSize) => plotFrame(size, { left: 3.2, bottom: 2.8, top: 1.8, right: 1 }, { width: 200, height: 160 });

/** Half the spacing of the (evenly spaced) queries: each query owns [x − h, x + h]. */
function halfStep(xQuery: Float32Array): number {
  return xQuery.length > 1 ? (xQuery[xQuery.length - 1]! - xQuery[0]!) / (xQuery.length - 1) / 2 : 0.5;
}

function uncoveredIndices(result: PoolingResult): number[] {
  const out: number[] = [];
  result.covered.forEach((c, i) => c || out.push(i));
  return out;
}

/** Fitted Nadaraya–Watson curve (gaps where a query sees no key), the true function, the data. */
export function fitFigure(data: PoolingData, result: PoolingResult, size: FigureSize): SVGSVGElement | HTMLElement {
  const { xTrain, yTrain, xQuery, yTrue } = data;
  const h = halfStep(xQuery);
  const gaps = uncoveredIndices(result);
  const fit = Array.from(result.fit, (y, i) => (result.covered[i] ? y : NaN)); // NaN breaks the line
  const yMin = Math.min(...yTrain, ...yTrue);
  const yMax = Math.max(...yTrain, ...yTrue);
  const scale = size.fontSize / 13;
  return asImage(Plot.plot({
    ...common(size),
    ariaLabel: `Fitted curve with the ${KERNEL_LABELS[result.kernel]} kernel, bandwidth ${result.sigma.toFixed(2)}`,
    ariaDescription: gaps.length
      ? `${gaps.length} of ${result.queries} query points have no training point within the bandwidth; the estimate is undefined there and shaded grey.`
      : `Every query point has a training point within reach.`,
    x: { domain: [xQuery[0]!, xQuery[xQuery.length - 1]!], label: 'x', grid: true },
    y: { domain: [Math.floor(yMin - 0.5), Math.ceil(yMax + 0.5)], label: 'y', grid: true, nice: true },
    marks: [
      Plot.rect(gaps, {
        x1: (i: number) => xQuery[i]! - h,
        x2: (i: number) => xQuery[i]! + h,
        fill: 'var(--ap-empty)',
        className: 'ap-gaps',
      }),
      Plot.line(xQuery, {
        x: xQuery,
        y: yTrue,
        stroke: 'var(--ap-true)',
        strokeWidth: 1.5 * scale,
        strokeDasharray: `${6 * scale} ${4 * scale}`,
        className: 'ap-true-line',
      }),
      Plot.dot(xTrain, {
        x: xTrain,
        y: yTrain,
        r: 3.2 * scale,
        fill: 'var(--ap-points)',
        fillOpacity: 0.75,
        className: 'ap-points',
      }),
      Plot.line(fit, { x: xQuery, y: fit, stroke: 'var(--ap-fit)', strokeWidth: 2.6 * scale, className: 'ap-fit-line' }),
    ],
  }));
}

/** The attention weights as an image: one row per query, one column per training key. */
export function weightsFigure(data: PoolingData, result: PoolingResult, size: FigureSize): SVGSVGElement | HTMLElement {
  const { queries: Q, keys: N } = result;
  const h = halfStep(data.xQuery);
  const gaps = uncoveredIndices(result);
  // Uncovered rows become transparent pixels over a grey band, so "no weight at all" never
  // looks like "tiny weights".
  const pixels = Float32Array.from(result.weights, (w, i) => (result.covered[Math.floor(i / N)] ? w : NaN));
  const top = data.xQuery[0]! - h;
  const bottom = data.xQuery[Q - 1]! + h;
  return asImage(Plot.plot({
    ...common(size),
    ariaLabel: `Attention weights of ${Q} queries over ${N} training keys, ${KERNEL_LABELS[result.kernel]} kernel, bandwidth ${result.sigma.toFixed(2)}`,
    x: { domain: [0, N], label: 'training key j (sorted by x)', ticks: 5 },
    y: { domain: [top, bottom], reverse: true, label: 'query x', ticks: 6 },
    color: { type: 'linear', scheme: 'viridis', domain: [0, maxOf(pixels)] },
    marks: [
      Plot.rect(gaps, {
        x1: 0,
        x2: N,
        y1: (i: number) => data.xQuery[i]! - h,
        y2: (i: number) => data.xQuery[i]! + h,
        fill: 'var(--ap-empty-row)',
        className: 'ap-gaps',
      }),
      Plot.raster(pixels, {
        width: N,
        height: Q,
        x1: 0,
        x2: N,
        y1: top,
        y2: bottom,
        imageRendering: 'pixelated',
        className: 'ap-weights',
      }),
      Plot.frame({ stroke: 'currentColor', strokeOpacity: 0.3 }),
    ],
  }));
}

/** The colour ramp for the weights, drawn apart from the heatmap so both fit a slide. */
export function weightsLegend(result: PoolingResult, fontSize: number, width: number): HTMLElement | SVGSVGElement {
  return asImage(Plot.legend({
    color: { type: 'linear', scheme: 'viridis', domain: [0, maxOf(result.weights)] },
    label: 'attention weight α',
    width: Math.max(160, Math.min(width, fontSize * 22)),
    height: Math.round(fontSize * 3.4),
    marginLeft: Math.round(fontSize * 1.2),
    marginRight: Math.round(fontSize * 1.2),
    marginTop: Math.round(fontSize * 1.4),
    marginBottom: Math.round(fontSize * 1.2),
    ticks: 4,
    style: { background: 'transparent', fontSize: `${fontSize}px`, overflow: 'visible' },
  }), `Colour scale of the attention weights, from 0 to ${maxOf(result.weights).toFixed(2)}`);
}

function maxOf(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! > m) m = values[i]!;
  return m > 0 ? m : 1;
}
