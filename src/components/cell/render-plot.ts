// Draws a PlotSpec from the worker with Observable Plot. Loaded on the first figure only.
import * as Plot from '@observablehq/plot';
import type { PlotSpec } from '../../runtime/protocol.ts';

export function renderPlot(spec: PlotSpec, width: number): SVGSVGElement | HTMLElement {
  const common = {
    width: spec.width ?? Math.min(width, 720),
    height: spec.height ?? (spec.mark === 'heatmap' ? undefined : 280),
    style: { background: 'transparent', fontSize: '13px', overflow: 'visible' },
    ...(spec.title ? { title: spec.title } : {}),
  };
  const series = spec.rows.some((r) => r.series !== '' && r.series !== undefined);
  if (spec.mark === 'heatmap') {
    const colCount = Math.max(...spec.rows.map((r) => Number(r.col))) + 1;
    const rowCount = Math.max(...spec.rows.map((r) => Number(r.row))) + 1;
    const cell = Math.max(8, Math.min(40, Math.floor((common.width - 80) / colCount)));
    // At most ~12 labelled ticks per axis; a 50×50 matrix with every index labelled is unreadable.
    const ticks = (n: number) => Array.from({ length: n }, (_, i) => i).filter((i) => i % Math.ceil(n / 12) === 0);
    const longestRowLabel = Math.max(2, ...(spec.rowLabels ?? []).map((l) => l.length));
    const marginLeft = Math.min(160, 14 + longestRowLabel * 7.5);
    return Plot.plot({
      ...common,
      width: Math.min(common.width, cell * colCount + marginLeft + 60),
      marginLeft,
      height: spec.height ?? cell * rowCount + 70,
      padding: 0,
      x: {
        label: spec.xLabel ?? null,
        tickFormat: (i: number) => spec.colLabels?.[i] ?? String(i),
        ticks: ticks(colCount),
        axis: 'top',
      },
      y: { label: spec.yLabel ?? null, tickFormat: (i: number) => spec.rowLabels?.[i] ?? String(i), ticks: ticks(rowCount) },
      color: { scheme: 'blues', legend: true, label: 'weight' },
      marks: [
        Plot.cell(spec.rows, { x: 'col', y: 'row', fill: 'value', inset: 0.5, tip: true }),
        ...(rowCount * colCount <= 64
          ? [Plot.text(spec.rows, { x: 'col', y: 'row', text: (d: { value: number }) => d.value.toFixed(2), fill: (d: { value: number }) => (d.value > 0.5 ? 'white' : 'black'), fontSize: 11 })]
          : []),
      ],
    });
  }
  const stroke = series ? 'series' : 'currentColor';
  const markOf = (name: string | number | undefined) => spec.seriesMarks?.[String(name)] ?? spec.mark;
  const rowsWith = (m: string) => spec.rows.filter((r) => markOf(r.series) === m);
  const marks: Plot.Markish[] = [];
  if (spec.mark === 'bar') {
    marks.push(Plot.ruleY([0]), Plot.barY(spec.rows, { x: 'x', y: 'y', fill: series ? 'series' : 'steelblue', tip: true }));
  } else {
    const dots = rowsWith('scatter');
    const lines = rowsWith('line');
    if (dots.length) marks.push(Plot.dot(dots, { x: 'x', y: 'y', stroke, r: 2.5, tip: true }));
    if (lines.length) marks.push(Plot.line(lines, { x: 'x', y: 'y', stroke, z: 'series', tip: true }));
  }
  return Plot.plot({
    ...common,
    grid: true,
    x: { label: spec.xLabel ?? null, ...(spec.mark === 'bar' ? { type: 'band' as const } : {}) },
    y: { label: spec.yLabel ?? null },
    color: series ? { legend: true } : undefined,
    marks,
  });
}
