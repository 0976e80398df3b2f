// Messages between the page (session.ts) and the cell worker (worker.ts). Plain data only:
// everything here crosses postMessage.
import type { GradeReport } from './grader.ts';

/** One argument of a console call, already turned into something the page can show. */
export type OutputPart =
  | { kind: 'text'; text: string }
  | { kind: 'tensor'; text: string; shape: number[]; dtype: string }
  | { kind: 'value'; preview: string; tree?: InspectNode };

/** A collapsible view of an object or array (depth- and size-limited). */
export interface InspectNode {
  label: string;
  children?: Array<{ key: string; node: InspectNode }>;
}

export type PlotMark = 'line' | 'scatter' | 'bar' | 'heatmap';

/** A figure requested by readers' code; rendered on the page with Observable Plot. */
export interface PlotSpec {
  mark: PlotMark;
  /** Rows of {x, y, series} for line/scatter/bar, or {row, col, value} for heatmaps. */
  rows: Array<Record<string, number | string>>;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  rowLabels?: string[];
  colLabels?: string[];
  /** Series drawn with another mark than the chart's (e.g. data points under a fitted line). */
  seriesMarks?: Record<string, 'line' | 'scatter'>;
  /** Replace the figure with this id instead of adding one (live training curves). */
  id?: string;
  width?: number;
  height?: number;
}

export interface CellError {
  name: string;
  message: string;
  /** 1-based line in the reader's code, when the error could be traced to it. */
  line?: number;
  column?: number;
  /** The same thing in plain words, with what to try. */
  hint?: string;
}

export type ToWorker =
  | { type: 'run'; runId: number; cellId: string; code: string }
  /** Grade an exercise: run the reader's code, then the exercise's tests, in a fresh session. */
  | { type: 'grade'; runId: number; code: string; tests: string; expectedExports: string[] }
  | { type: 'configure'; backend?: 'auto' | 'cpu' | 'webgpu' };

export type FromWorker =
  | { type: 'ready'; backend: string }
  | { type: 'console'; runId: number; level: 'log' | 'info' | 'warn' | 'error'; parts: OutputPart[] }
  | { type: 'dropped'; runId: number; lines: number }
  | { type: 'plot'; runId: number; spec: PlotSpec }
  | { type: 'progress'; runId: number; done: number; total: number; label?: string }
  | { type: 'done'; runId: number; ok: true; ms: number; exported: string[] }
  | { type: 'done'; runId: number; ok: false; ms: number; error: CellError }
  | { type: 'graded'; runId: number; ms: number; report: GradeReport };
