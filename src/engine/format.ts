// Pretty printing in PyTorch's style: 4 decimals (or scientific / integer mode chosen from the
// values), right-aligned columns, 80-column wrapping, `...` summaries above 1000 elements.
import type { Tensor } from './tensor.ts';
import { sizeOf } from './shape.ts';

export interface PrintOptions {
  precision: number;
  threshold: number;
  edgeitems: number;
  linewidth: number;
  sciMode: boolean | null;
}

export const printOptions: PrintOptions = { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: null };

/** Change print options (like torch.set_printoptions); returns the new options. */
export function setPrintOptions(opts: Partial<PrintOptions>): PrintOptions {
  Object.assign(printOptions, opts);
  return printOptions;
}

type Fmt = (v: number) => string;

/** Python's '{:.Ne}': exponent with sign and at least two digits. */
function sci(v: number, p: number): string {
  const s = v.toExponential(p);
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

function special(v: number): string | null {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return null;
}

function floatFormatter(values: number[]): Fmt {
  const P = printOptions.precision;
  const finite = values.filter((v) => Number.isFinite(v));
  const nz = finite.filter((v) => v !== 0).map(Math.abs);
  const intMode = finite.every((v) => Number.isInteger(v));
  let sciMode = false;
  if (nz.length > 0) {
    const mx = Math.max(...nz);
    const mn = Math.min(...nz);
    sciMode = intMode ? mx / mn > 1000 || mx > 1e8 : mx / mn > 1000 || mx > 1e8 || mn < 1e-4;
  }
  if (printOptions.sciMode !== null) sciMode = printOptions.sciMode;
  return (v: number) => {
    const s = special(v);
    if (s) return s;
    if (sciMode) return sci(v, P);
    if (intMode) return `${v.toFixed(0)}.`;
    return v.toFixed(P);
  };
}

/** Values that will be shown (edges only when summarising), for the width computation. */
function shownValues(data: ArrayLike<number>, shape: readonly number[], summarize: boolean): number[] {
  const out: number[] = [];
  const E = printOptions.edgeitems;
  const walk = (dim: number, offset: number, stride: number): void => {
    if (dim === shape.length) { out.push(data[offset]); return; }
    const n = shape[dim];
    const inner = stride / n;
    const idx = summarize && n > 2 * E ? [...range(0, E), ...range(n - E, n)] : range(0, n);
    for (const i of idx) walk(dim + 1, offset + i * inner, inner);
  };
  walk(0, 0, sizeOf(shape));
  return out;
}

function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
}

function body(data: ArrayLike<number>, shape: readonly number[], fmt: Fmt, width: number, indent: number, summarize: boolean): string {
  const E = printOptions.edgeitems;
  const rec = (dim: number, offset: number, ind: number): string => {
    const n = shape[dim];
    const inner = sizeOf(shape.slice(dim + 1));
    const useSummary = summarize && n > 2 * E;
    const idx: (number | null)[] = useSummary ? [...range(0, E), null, ...range(n - E, n)] : range(0, n);
    if (dim === shape.length - 1) {
      const items = idx.map((i) => (i === null ? ' ...' : fmt(data[offset + i]).padStart(width)));
      const perLine = Math.max(1, Math.floor((printOptions.linewidth - ind) / (width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
      return `[${lines.join(`,\n${' '.repeat(ind + 1)}`)}]`;
    }
    const parts = idx.map((i) => (i === null ? '...' : rec(dim + 1, offset + i * inner, ind + 1)));
    const sep = `,${'\n'.repeat(shape.length - dim - 1)}${' '.repeat(ind + 1)}`;
    return `[${parts.join(sep)}]`;
  };
  return rec(0, 0, indent);
}

/** Format values like torch's repr (shape/dtype/grad suffixes included). */
export function formatValues(t: Tensor, data: ArrayLike<number>): string {
  const prefix = 'tensor(';
  const indent = prefix.length;
  const summarize = t.size > printOptions.threshold;
  const suffixes: string[] = [];
  let text: string;
  if (t.size === 0) {
    text = '[]';
    if (t.ndim !== 1) suffixes.push(`size=(${t.shape.join(', ')}${t.ndim === 1 ? ',' : ''})`);
  } else {
    let fmt: Fmt;
    const shown = shownValues(data, t.shape, summarize);
    if (t.dtype === 'bool') fmt = (v) => (v ? 'True' : 'False');
    else if (t.dtype === 'int32') fmt = (v) => String(v);
    else fmt = floatFormatter(shown);
    const width = Math.max(...shown.map((v) => fmt(v).length));
    text = t.ndim === 0 ? fmt(data[0]) : body(data, t.shape, fmt, width, indent, summarize);
  }
  if (t.requiresGrad) {
    const fn = t._gradFn;
    if (fn) suffixes.push(`grad_fn=<${fn[0].toUpperCase()}${fn.slice(1)}Backward>`);
    else suffixes.push('requires_grad=True');
  }
  let out = prefix + text;
  let lastLineLen = out.length - out.lastIndexOf('\n') + 1;
  for (const s of suffixes) {
    if (lastLineLen + s.length + 2 > printOptions.linewidth) {
      out += `,\n${' '.repeat(indent)}${s}`;
      lastLineLen = indent + s.length;
    } else {
      out += `, ${s}`;
      lastLineLen += s.length + 2;
    }
  }
  return `${out})`;
}

/** Read the tensor and format it like PyTorch prints it. */
export async function formatTensor(t: Tensor): Promise<string> {
  const data = await t.data();
  return formatValues(t, data);
}
