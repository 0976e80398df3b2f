// Helpers readers' code imports next to the engine: figures and progress. They only describe what
// to show and hand it to the host (the worker in a page, a collector in doc-tests); no DOM here.
import { Tensor } from '../engine/index.ts';
import type { ModelView, PlotSpec } from './protocol.ts';

/** Where cell output goes; installed by whoever runs the cell. */
export interface CellHost {
  /**
   * A figure, handed over when the reader asks for it — before its tensors are read — so the host
   * can show it in order with console output. Rejects if the data is wrong (already reported to the reader).
   */
  plot(spec: Promise<PlotSpec>): void;
  progress(done: number, total: number, label?: string): void;
  /**
   * The bytes of a file the book ships (public/<path>, a path checked by `shippedPath`), a fresh
   * copy each call. Hosts without the book's files (the exercise grader) leave it out.
   */
  readShipped?(path: string): Promise<Uint8Array>;
  /** One of the book's model viewers on the reader's model (`viewers.*`); rejects if it cannot be made. */
  view?(view: Promise<ModelView>): void;
}

/** Where readers' code may read the book's own files: its data sets and its models' files. */
const SHIPPED_PATH = /^(data|models)\/[a-z0-9-]+(\/[a-z0-9-]+)*\.(json|txt|bpe|onnx)$/;

/** The path if it names one of the book's shipped files (no `..`, no other origin), else an error. */
export function shippedPath(path: string): string {
  if (!SHIPPED_PATH.test(path)) throw new Error(`datasets: "${path}" is not one of the book's data files`);
  return path;
}

let host: CellHost | null = null;
const pending = new Set<Promise<unknown>>();

/** @internal Installed by the runtime before a cell runs. */
export function setCellHost(h: CellHost | null): void {
  host = h;
}

/** @internal Figures read tensors asynchronously; the runtime waits for them before a run ends. */
export async function settleCellOutput(): Promise<void> {
  while (pending.size) await Promise.allSettled([...pending]);
}

/** @internal */
export function currentHost(): CellHost {
  if (!host) throw new Error('plot/progress: no cell is running (these helpers work inside a code cell)');
  return host;
}

type Numbers = Tensor | ArrayLike<number>;

async function toNumbers(v: Numbers, what: string): Promise<number[]> {
  if (v instanceof Tensor) {
    if (v.ndim > 1 && v.shape.filter((d) => d !== 1).length > 1) {
      throw new Error(`plot: ${what} must be 1-D, got a tensor of shape [${v.shape.join(', ')}]`);
    }
    return Array.from(await v.data(), Number);
  }
  return Array.from(v, Number);
}

async function toMatrix(v: Tensor | number[][]): Promise<number[][]> {
  if (v instanceof Tensor) {
    if (v.ndim !== 2) throw new Error(`plot.heatmap: expected a 2-D tensor, got shape [${v.shape.join(', ')}]`);
    const flat = await v.data();
    const [rows, cols] = v.shape as [number, number];
    return Array.from({ length: rows }, (_, r) => Array.from(flat.subarray(r * cols, (r + 1) * cols), Number));
  }
  return v;
}

function track<T>(p: Promise<T>): Promise<T> {
  pending.add(p);
  p.finally(() => pending.delete(p)).catch(() => undefined);
  return p;
}

/** Hands a figure to the host now (its place in the output) and resolves when it is built. */
function figure(build: () => Promise<PlotSpec>): Promise<void> {
  const host = currentHost();
  const spec = build();
  host.plot(spec);
  return track(spec.then(() => undefined));
}

export interface FigureOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Give a figure an id to redraw it in place (e.g. a loss curve updated every few steps). */
  id?: string;
  width?: number;
  height?: number;
}

/** One named series for line, scatter and bar charts. */
export interface Series {
  x?: Numbers;
  y: Numbers;
  label?: string;
  /** Draw this series as points or a line whatever the chart's kind (e.g. data under a fit). */
  mark?: 'line' | 'scatter';
}

function seriesFigure(mark: 'line' | 'scatter' | 'bar', input: Numbers | Series | Series[], opts: FigureOptions) {
  return figure(async () => {
    const list: Series[] = Array.isArray(input) && input.length > 0 && typeof input[0] === 'object' && 'y' in (input[0] as object)
      ? (input as Series[])
      : input instanceof Tensor || ArrayBuffer.isView(input) || Array.isArray(input)
        ? [{ y: input as Numbers }]
        : [input as Series];
    const rows: PlotSpec['rows'] = [];
    const seriesMarks: Record<string, 'line' | 'scatter'> = {};
    for (const [i, s] of list.entries()) {
      const y = await toNumbers(s.y, 'y');
      const x = s.x === undefined ? y.map((_, j) => j) : await toNumbers(s.x, 'x');
      if (x.length !== y.length) {
        throw new Error(`plot.${mark}: x has ${x.length} values but y has ${y.length}`);
      }
      const series = s.label ?? (list.length > 1 ? `series ${i + 1}` : '');
      if (s.mark && s.mark !== mark) seriesMarks[series] = s.mark;
      for (let j = 0; j < y.length; j++) rows.push({ x: x[j]!, y: y[j]!, series });
    }
    return { mark, rows, ...opts, ...(Object.keys(seriesMarks).length ? { seriesMarks } : {}) };
  });
}

/**
 * Figures under the cell. Each returns a promise; `await` it to see errors at the right line
 * (the cell also waits for figures before it finishes).
 */
export const plot = {
  /** A line chart: `plot.line(y)`, `plot.line({x, y, label})` or several series as an array. */
  line: (data: Numbers | Series | Series[], opts: FigureOptions = {}) => seriesFigure('line', data, opts),
  /** Points: same arguments as `plot.line`. */
  scatter: (data: Numbers | Series | Series[], opts: FigureOptions = {}) => seriesFigure('scatter', data, opts),
  /** Bars at x = 0, 1, … or at the given labels. */
  bar: (data: Numbers | Series | Series[], opts: FigureOptions = {}) => seriesFigure('bar', data, opts),
  /** A matrix as a colour grid, e.g. attention weights: rows are queries, columns are keys. */
  heatmap: (
    matrix: Tensor | number[][],
    opts: FigureOptions & { rowLabels?: string[]; colLabels?: string[] } = {},
  ) =>
    figure(async () => {
      const m = await toMatrix(matrix);
      const rows: PlotSpec['rows'] = [];
      m.forEach((r, i) => r.forEach((value, j) => rows.push({ row: i, col: j, value })));
      return { mark: 'heatmap', rows, ...opts };
    }),
};

/**
 * Reports progress of a long loop: a bar under the cell with Stop next to it.
 * `for (let step = 0; step < 500; step++) { …; progress(step + 1, 500, `loss ${l}`) }`
 */
export function progress(done: number, total: number, label?: string): void {
  currentHost().progress(done, total, label);
}


/** A State of the Union address, as shipped in public/data/sotu-sample.json. */
export interface Speech {
  year: number;
  president: string;
  party: string;
  text: string;
}

/** @internal The bytes of one of the book's files (for `datasets` and `models`). */
export async function readShippedBytes(path: string): Promise<Uint8Array> {
  const host = currentHost();
  if (!host.readShipped) throw new Error('datasets: the book\'s data files are not available here (exercises run without them)');
  return host.readShipped(shippedPath(path));
}

/** @internal */
export async function readShippedText(path: string): Promise<string> {
  return new TextDecoder().decode(await readShippedBytes(path));
}

async function readShippedJson<T>(path: string): Promise<T> {
  return JSON.parse(await readShippedText(path)) as T;
}

/** The data sets the book ships, for cells (fetched once per page, on first use). */
export const datasets = {
  /**
   * Daily births in the USA, 2000-01-01 to 2014-12-31 (US Social Security Administration; the
   * series the book's LSTM forecaster was trained on): `births[i]` is the count on `start` + i days.
   */
  async usBirths(): Promise<{ start: string; births: number[]; source: string }> {
    const { start, births, source } = await readShippedJson<{ start: string; births: number[]; source: string }>('models/lstm-births/series.json');
    return { start, births, source };
  },
  /**
   * One State of the Union address a decade, 1790–2010 (public domain; the first ≈12,000
   * characters of each, whitespace collapsed), oldest first.
   */
  async stateOfTheUnion(): Promise<Speech[]> {
    return (await readShippedJson<{ speeches: Speech[] }>('data/sotu-sample.json')).speeches;
  },
  /**
   * 1,797 handwritten digits, 8×8 pixels of 0–16 (UCI, Alpaydin & Kaynak 1998, CC BY 4.0; as
   * scikit-learn ships them), split once into 1,437 training and 360 test images. Each image is
   * 64 numbers, row by row.
   */
  async digits(): Promise<{ train: { images: number[][]; labels: number[] }; test: { images: number[][]; labels: number[] }; source: string }> {
    type Part = { images: string[]; labels: number[] };
    const raw = await readShippedJson<{ source: string; train: Part; test: Part }>('data/digits.json');
    const part = (p: Part) => ({ images: p.images.map((s) => Array.from(s, (c) => parseInt(c, 17))), labels: p.labels });
    return { train: part(raw.train), test: part(raw.test), source: raw.source };
  },
  /**
   * The RLHF chapter's 256 preference pairs (public/data/rlhf-pairs.json, made by
   * scripts/data/make-rlhf-pairs.ts): a prompt and two gpt-sotu continuations of it, as text and as
   * token ids, with the built-in labeller's word lists and its verdict on each pair.
   */
  async preferencePairs(): Promise<PreferencePairs> {
    return readShippedJson<PreferencePairs>('data/rlhf-pairs.json');
  },
};

/** One prompt and two continuations; `builtin` is the built-in labeller's choice ('-': a tie). */
export interface PreferencePair {
  prompt: string;
  a: string;
  b: string;
  builtin: 'a' | 'b' | '-';
  ids: { prompt: number[]; a: number[]; b: number[] };
}

export interface PreferencePairs {
  source: string;
  model: string;
  seed: number;
  temperature: number;
  promptTokens: number;
  continuationTokens: number;
  labeller: { positive: string[]; negative: string[] };
  pairs: PreferencePair[];
}
