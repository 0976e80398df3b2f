// The positional-encoding explorer's three figures, drawn with Observable Plot: the encoding as an
// image (positions down, dimensions across) with the chosen row marked, the chosen position's
// vector as bars, and its dot product with every position against the offset. Colours are CSS
// variables (positional-encoding.css), so a theme switch restyles them without a redraw; marks are
// named with className so that tests can find them.
import * as Plot from '@observablehq/plot';
import { asImage, plotFrame, type FigureSize } from '../figure.ts';
import type { Exploration } from './encoding.ts';

export type { FigureSize };

const common = (size: FigureSize) => plotFrame(size, { left: 3.2, bottom: 2.8, top: 1.7, right: 0.8 }, { width: 180, height: 150 });

/** The whole encoding: one row per position, one column per dimension, values in [−1, 1]. */
export function matrixFigure(e: Exploration, size: FigureSize): SVGSVGElement | HTMLElement {
  return asImage(
    Plot.plot({
      ...common(size),
      x: { domain: [0, e.d], label: 'dimension', ticks: 4 },
      y: { domain: [0, e.T], reverse: true, label: 'position', ticks: 5 },
      color: { type: 'linear', scheme: 'rdbu', domain: [-1, 1] },
      marks: [
        Plot.raster(e.matrix, { width: e.d, height: e.T, x1: 0, x2: e.d, y1: 0, y2: e.T, imageRendering: 'pixelated', className: 'pe-matrix' }),
        Plot.rect([e.pos], { x1: 0, x2: e.d, y1: e.pos, y2: e.pos + 1, stroke: 'var(--pe-marker)', strokeWidth: Math.max(2, size.fontSize / 7), className: 'pe-row-marker' }),
        Plot.frame({ stroke: 'currentColor', strokeOpacity: 0.3 }),
      ],
    }),
    `The sinusoidal encoding of positions 0 to ${e.T - 1} in width ${e.d}, as a red–blue image from −1 to 1; position ${e.pos} is outlined`,
  );
}

/** PE[pos]: its d values as bars, sines (even dimensions) and cosines (odd ones) in two colours. */
export function vectorFigure(e: Exploration, size: FigureSize): SVGSVGElement | HTMLElement {
  const bars = Array.from(e.vector, (value, dim) => ({ dim, value, kind: dim % 2 === 0 ? 'sin' : 'cos' }));
  return asImage(
    Plot.plot({
      ...common(size),
      x: { domain: [-0.5, e.d - 0.5], label: 'dimension', ticks: 4 },
      y: { domain: [-1, 1], label: `PE[${e.pos}]`, ticks: 5, grid: true },
      marks: [
        Plot.rect(bars, { x1: (b) => b.dim - 0.42, x2: (b) => b.dim + 0.42, y1: 0, y2: 'value', fill: (b) => (b.kind === 'sin' ? 'var(--pe-sin)' : 'var(--pe-cos)'), className: 'pe-vector' }),
        Plot.ruleY([0], { stroke: 'currentColor', strokeOpacity: 0.5 }),
      ],
    }),
    `The vector of position ${e.pos}: ${e.d} values, sines in even dimensions and cosines in odd ones`,
  );
}

/** PE[pos]·PE[j] against the offset j − pos; the peak d/2 sits at offset 0. */
export function dotsFigure(e: Exploration, size: FigureSize): SVGSVGElement | HTMLElement {
  const scale = size.fontSize / 13;
  const points = Array.from(e.dots, (y, j) => ({ x: j - e.pos, y }));
  return asImage(
    Plot.plot({
      ...common(size),
      x: { domain: [-e.pos, e.T - 1 - e.pos], label: 'offset j − pos', ticks: 5 },
      y: { domain: [-e.d / 2, e.d / 2], label: 'PE[pos] · PE[j]', ticks: 5, grid: true },
      marks: [
        Plot.ruleX([0], { stroke: 'var(--pe-marker)', strokeWidth: 1.5 * scale }),
        Plot.ruleY([0], { stroke: 'currentColor', strokeOpacity: 0.4 }),
        Plot.line(points, { x: 'x', y: 'y', stroke: 'var(--pe-line)', strokeWidth: 2.4 * scale, className: 'pe-dots' }),
      ],
    }),
    `Dot product of position ${e.pos} with every position, against the offset: ${e.d / 2} at offset 0, symmetric, falling with distance`,
  );
}
