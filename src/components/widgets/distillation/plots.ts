// The soft-targets figure: the teacher's and the student's distributions at temperature T, side by
// side for each of the ten classes. Colours are CSS variables (soft-targets.css).
import * as Plot from '@observablehq/plot';
import { asImage, plotFrame, type FigureSize } from '../figure.ts';
import { CLASSES, type Example, type SoftTargets } from './soft-targets.ts';

export type { FigureSize };

export function distributionsFigure(example: Example, s: SoftTargets, size: FigureSize): SVGSVGElement | HTMLElement {
  const bars = CLASSES.flatMap((_, i) => [
    { i, who: 'teacher', value: s.p[i]! },
    { i, who: 'student', value: s.q[i]! },
  ]);
  const top = Math.max(0.25, ...s.p, ...s.q);
  return asImage(
    Plot.plot({
      ...plotFrame(size, { left: 3.4, bottom: 2.8, top: 1.2, right: 0.6 }, { width: 220, height: 170 }),
      x: { domain: [-0.5, CLASSES.length - 0.5], label: 'class', ticks: CLASSES.map((_, i) => i), tickFormat: (i: number) => CLASSES[i] ?? '' },
      y: { domain: [0, Math.min(1, top * 1.05)], label: `probability at T = ${s.T}`, ticks: 5, grid: true, tickFormat: '.0%' },
      marks: [
        Plot.rect(bars, {
          x1: (b) => b.i + (b.who === 'teacher' ? -0.4 : 0.02),
          x2: (b) => b.i + (b.who === 'teacher' ? -0.02 : 0.4),
          y1: 0,
          y2: 'value',
          fill: (b) => (b.who === 'teacher' ? 'var(--st-teacher)' : 'var(--st-student)'),
          className: 'st-bars',
        }),
        Plot.ruleX([example.target], { stroke: 'currentColor', strokeOpacity: 0.25, strokeDasharray: '3 3' }),
        Plot.ruleY([0], { stroke: 'currentColor', strokeOpacity: 0.5 }),
      ],
    }),
    `The teacher's and the student's probabilities for the ten digits at temperature ${s.T}, for ${example.description}`,
    `The teacher gives the true class ${example.target} ${(100 * s.p[example.target]!).toFixed(0)} % and the other nine ${(100 * s.wrongMass).toFixed(0)} %.`,
  );
}
