// The AR-forecast widget's two figures, drawn with Observable Plot. Colours are CSS variables
// (see ar-forecast.css), so a theme switch restyles them without a redraw. Marks are named with
// className so tests can find them.
import * as Plot from '@observablehq/plot';
import { asImage, plotFrame, type FigureSize } from '../figure.ts';
import type { ForecastView, HorizonErrors } from './forecast.ts';

export type { FigureSize };

const common = (size: FigureSize) => plotFrame(size, { left: 3.6, bottom: 2.6, top: 1.2, right: 1 }, { width: 200, height: 150 });

/** Midnight UTC of day index i of a series that starts on `start` (YYYY-MM-DD). */
export function dateOf(start: string, i: number): Date {
  const d = new Date(`${start}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + i);
  return d;
}

const thousands = (v: number) => `${Math.round(v / 100) / 10}k`;

/** The series around the origin, the one-step predictions, the k-step forecast and the seasonal naive one. */
export function forecastFigure(view: ForecastView, origin: number, start: string, size: FigureSize, describe: string): SVGSVGElement | HTMLElement {
  const scale = size.fontSize / 13;
  const date = (d: number) => dateOf(start, d);
  const ahead = view.rolled.map((_, i) => origin + 1 + i);
  const values = [...view.actual, ...view.rolled, ...view.seasonal, ...view.oneStep.filter(Number.isFinite)];
  return asImage(
    Plot.plot({
      ...common(size),
      x: { type: 'utc', label: null, ticks: Math.max(3, Math.floor(size.width / (size.fontSize * 7))) },
      y: { domain: [Math.min(...values) * 0.97, Math.max(...values) * 1.02], label: 'births per day', grid: true, tickFormat: thousands },
      marks: [
        Plot.ruleX([date(origin)], { stroke: 'currentColor', strokeOpacity: 0.45, strokeDasharray: '3 3', className: 'sq-origin' }),
        Plot.line(view.days, { x: date, y: (_: number, i: number) => view.actual[i], stroke: 'var(--sq-actual)', strokeWidth: 1.6 * scale, className: 'sq-actual' }),
        Plot.line(view.days, {
          x: date,
          y: (_: number, i: number) => view.oneStep[i],
          stroke: 'var(--sq-onestep)',
          strokeWidth: 1.4 * scale,
          strokeDasharray: `${5 * scale} ${3 * scale}`,
          className: 'sq-onestep',
        }),
        Plot.line(ahead, {
          x: date,
          y: (_: number, i: number) => view.seasonal[i],
          stroke: 'var(--sq-seasonal)',
          strokeWidth: 2 * scale,
          strokeDasharray: `${1.5 * scale} ${3 * scale}`,
          className: 'sq-seasonal',
        }),
        Plot.line(ahead, { x: date, y: (_: number, i: number) => view.rolled[i], stroke: 'var(--sq-rolled)', strokeWidth: 2.6 * scale, className: 'sq-rolled' }),
        Plot.dot(ahead, { x: date, y: (_: number, i: number) => view.rolled[i], fill: 'var(--sq-rolled)', r: 2.4 * scale, className: 'sq-rolled-dots' }),
      ],
    }),
    describe,
  );
}

/**
 * Mean absolute error against the horizon for AR fed back and the seasonal naive forecast, with the
 * chosen k marked. The last value's error (thousands on most horizons) would flatten both curves;
 * the widget states it in words instead.
 */
export function horizonFigure(errors: HorizonErrors, k: number, size: FigureSize, describe: string): SVGSVGElement | HTMLElement {
  const scale = size.fontSize / 13;
  const K = errors.ar.length;
  const ks = Array.from({ length: K }, (_, i) => i + 1);
  const series = [
    { values: errors.seasonal, stroke: 'var(--sq-seasonal)', className: 'sq-h-seasonal' },
    { values: errors.ar, stroke: 'var(--sq-rolled)', className: 'sq-h-ar' },
  ];
  const top = Math.max(...errors.ar, ...errors.seasonal) * 1.1;
  return asImage(
    Plot.plot({
      ...common(size),
      x: { domain: [0.5, K + 0.5], label: 'days ahead k', ticks: [1, 7, 14, 21, 28].filter((t) => t <= K) },
      y: { domain: [0, top], label: 'mean abs. error', grid: true, tickFormat: thousands },
      marks: [
        Plot.ruleX([k], { stroke: 'currentColor', strokeOpacity: 0.45, strokeDasharray: '3 3', className: 'sq-k' }),
        ...series.map((s) =>
          Plot.line(ks, { x: (d: number) => d, y: (_: number, i: number) => s.values[i], stroke: s.stroke, strokeWidth: 2 * scale, className: s.className }),
        ),
        ...series.map((s) =>
          Plot.dot([k], { x: (d: number) => d, y: () => s.values[k - 1], fill: s.stroke, r: 4 * scale, className: `${s.className}-at-k` }),
        ),
      ],
    }),
    describe,
  );
}
