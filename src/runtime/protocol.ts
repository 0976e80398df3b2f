// Messages between the page (page-session.ts) and a code worker (worker.ts). Plain data only:
// everything here crosses postMessage. The page hands the worker a private MessagePort before any
// reader's code runs; every message below travels on that port, which readers' code cannot reach.
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
  /** Set by the worker when it thinned the data to keep the page responsive; shown under the figure. */
  note?: string;
}

/** One kind of attention in a model (say, its encoders' self-attention): every layer's maps, per head. */
export interface AttentionGroup {
  /** e.g. "self-attention", "cross-attention". */
  kind: string;
  /** The attending tokens (rows) and the tokens attended to (columns). */
  rows: string[];
  cols: string[];
  /** [layers, heads, rows, cols], row-major. */
  maps: { layers: number; heads: number; rows: number; cols: number; data: number[] };
}

/** The book's model viewers, opened from a cell on a model the reader built (`viewers.*`). */
export type ModelView =
  | { view: 'attention'; title: string; groups: AttentionGroup[]; note?: string }
  /** The distribution after `context`: one logit per token in `tokens` (the whole vocabulary, or its most likely part). */
  | { view: 'next-token'; title: string; context: string[]; tokens: string[]; logits: number[]; note?: string };

export interface CellError {
  name: string;
  message: string;
  /** 1-based line in the reader's code, when the error could be traced to it. */
  line?: number;
  column?: number;
  /** The same thing in plain words, with what to try. */
  hint?: string;
}

/** What a run printed or drew, sent in batches (at most a few a second) rather than call by call. */
export type OutputEvent =
  | { kind: 'console'; level: 'log' | 'info' | 'warn' | 'error'; parts: OutputPart[] }
  /** Console calls (and figures) past the run's limits: counted, never sent. */
  | { kind: 'dropped'; lines: number; figures?: number }
  | { kind: 'plot'; spec: PlotSpec }
  | { kind: 'view'; view: ModelView };

/** The first message, on the Worker itself: the port everything else travels on. */
export interface ConnectMessage {
  type: 'connect';
  port: MessagePort;
  backend?: 'auto' | 'cpu' | 'webgpu';
}

export type ToWorker =
  | { type: 'run'; runId: number; cellId: string; code: string }
  /** Grade an exercise: run the reader's code, then the exercise's tests (in a worker of its own). */
  | { type: 'grade'; runId: number; code: string; tests: string; expectedExports: string[] }
  /** Answered at once with 'pong' by a worker whose event loop is free. */
  | { type: 'ping' };

export type FromWorker =
  /** The port is connected: from now on the worker answers pings. */
  | { type: 'hello' }
  | { type: 'ready'; backend: string }
  | { type: 'pong' }
  /** A run was received (sent before it starts). */
  | { type: 'started'; runId: number }
  | { type: 'output'; runId: number; events: OutputEvent[] }
  | { type: 'progress'; runId: number; done: number; total: number; label?: string }
  | { type: 'done'; runId: number; ok: true; ms: number; exported: string[] }
  | { type: 'done'; runId: number; ok: false; ms: number; error: CellError }
  | { type: 'graded'; runId: number; ms: number; report: GradeReport }
  /** Something a finished run left behind failed (a promise chain, a callback): reported on that run's cell. */
  | { type: 'late'; runId: number; error: CellError };
