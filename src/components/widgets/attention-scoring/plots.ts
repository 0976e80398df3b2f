// The attention-scoring widget's two figures, drawn with Observable Plot: the ten weights of each
// scoring function as bars, and the mean largest weight against d. Colours are CSS variables (see
// attention-scoring.css), so a theme switch restyles them without a redraw. Marks are named with
// className so that tests can find them.
import * as Plot from '@observablehq/plot';
import { asImage, plotFrame, type FigureSize } from '../figure.ts';
import { N_KEYS, SCORINGS, SCORING_LABELS, type SaturationCurve, type Scoring, type ScoringResult } from './scoring.ts';

export type { FigureSize };

export const SCORING_COLOURS: Record<Scoring, string> = {
  dot: 'var(--as-dot)',
  scaled: 'var(--as-scaled)',
  additive: 'var(--as-additive)',
};

const SHORT_LABELS: Record<Scoring, string> = { dot: 'q·k', scaled: 'q·k/√d', additive: 'additive' };

const common = (size: FigureSize) => plotFrame(size, { left: 3.4, bottom: 2.8, top: 1.4, right: 1 }, { width: 200, height: 160 });

interface Bar {
  scoring: string;
  key: number;
  weight: number;
}

/** The weights of the ten keys, one row of bars per scoring function (shared y scale 0…1). */
export function weightsFigure(result: ScoringResult, size: FigureSize): SVGSVGElement | HTMLElement {
  const bars: Bar[] = SCORINGS.flatMap((s) => Array.from(result.rows[s].weights, (weight, key) => ({ scoring: SHORT_LABELS[s], key: key + 1, weight })));
  return asImage(
    Plot.plot({
      ...common(size),
      marginRight: Math.round(size.fontSize * 6),
      fy: { domain: SCORINGS.map((s) => SHORT_LABELS[s]), label: null, padding: 0.18 },
      x: { domain: Array.from({ length: N_KEYS }, (_, i) => i + 1), label: 'key', padding: 0.15 },
      y: { domain: [0, 1], label: 'weight α', ticks: 2 },
      marks: [
        Plot.frame({ stroke: 'currentColor', strokeOpacity: 0.2 }),
        ...SCORINGS.map((s) =>
          Plot.barY(bars.filter((b) => b.scoring === SHORT_LABELS[s]), { x: 'key', y: 'weight', fy: 'scoring', fill: SCORING_COLOURS[s], className: `as-bars as-bars-${s}` }),
        ),
        Plot.ruleY([1 / N_KEYS], { stroke: 'currentColor', strokeOpacity: 0.45, strokeDasharray: '4 3' }),
      ],
    }),
    `Attention weights of ten keys for one query, d = ${result.d}, temperature ${result.temperature}`,
    SCORINGS.map((s) => `${SCORING_LABELS[s]}: largest weight ${result.rows[s].max.toFixed(2)}`).join('; '),
  );
}

/** Mean largest weight against log₂ d for each scoring function, with the current d marked. */
export function saturationFigure(curve: SaturationCurve, d: number, size: FigureSize): SVGSVGElement | HTMLElement {
  const scale = size.fontSize / 13;
  const points = SCORINGS.flatMap((s) => curve.dims.map((dim, i) => ({ s, x: Math.log2(dim), y: curve.meanMax[s][i]! })));
  return asImage(
    Plot.plot({
      ...common(size),
      x: { domain: [0, 10], label: 'log₂ d', ticks: 6 },
      y: { domain: [0, 1], label: 'mean largest weight', grid: true, ticks: 5 },
      marks: [
        Plot.ruleY([1 / N_KEYS], { stroke: 'currentColor', strokeOpacity: 0.45, strokeDasharray: '4 3' }),
        Plot.ruleX([Math.log2(d)], { stroke: 'currentColor', strokeOpacity: 0.7, strokeWidth: 1.5 * scale, className: 'as-current-d' }),
        ...SCORINGS.map((s) =>
          Plot.line(points.filter((p) => p.s === s), { x: 'x', y: 'y', stroke: SCORING_COLOURS[s], strokeWidth: 2.6 * scale, className: `as-curve as-curve-${s}` }),
        ),
        ...SCORINGS.map((s) => Plot.dot(points.filter((p) => p.s === s), { x: 'x', y: 'y', fill: SCORING_COLOURS[s], r: 3 * scale })),
      ],
    }),
    `Mean largest attention weight against log base 2 of d, temperature ${curve.temperature}`,
    SCORINGS.map((s) => `${SCORING_LABELS[s]}: from ${curve.meanMax[s][0]!.toFixed(2)} at d = 1 to ${curve.meanMax[s].at(-1)!.toFixed(2)} at d = 1024`).join('; '),
  );
}
