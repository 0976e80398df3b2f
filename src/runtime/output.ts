// Console output of readers' code: arguments become OutputParts (tensors printed like PyTorch,
// objects as a small collapsible tree), delivered in call order even though tensors read async.
import { Tensor, formatTensor, printOptions } from '../engine/index.ts';
import type { CellConsole } from './execute.ts';
import type { InspectNode, OutputPart } from './protocol.ts';
import { MAX_TENSOR_VALUES, cutText, shownValueCount } from './bound-output.ts';

type Level = 'log' | 'info' | 'warn' | 'error';

const MAX_CHILDREN = 50;
const MAX_DEPTH = 4;
/** Nodes of one collapsible tree (50 children, 4 levels deep would be millions). */
const MAX_TREE_NODES = 2000;
/** Characters of a string shown inside a preview or a tree label. */
const MAX_SHORT_CHARS = 200;

function short(v: unknown): string {
  if (v instanceof Tensor) return `Tensor[${v.shape.join(', ')}] ${v.dtype}`;
  if (typeof v === 'string') return JSON.stringify(v.length > MAX_SHORT_CHARS ? `${v.slice(0, MAX_SHORT_CHARS)}…` : v);
  if (typeof v === 'function') return `ƒ ${v.name || 'anonymous'}()`;
  if (v instanceof Accessor) return `[${v.kind}]`;
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return `Array(${v.length})`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<number>).length})`;
  if (v instanceof Map) return `Map(${v.size})`;
  if (v instanceof Set) return `Set(${v.size})`;
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  if (v && typeof v === 'object') return v.constructor && v.constructor !== Object ? v.constructor.name : '{…}';
  return String(v);
}

function inspect(v: unknown, depth: number, seen: Set<unknown>, budget = { nodes: MAX_TREE_NODES }): InspectNode {
  const label = short(v);
  if (!v || typeof v !== 'object' || v instanceof Tensor || v instanceof Error || v instanceof Accessor || depth >= MAX_DEPTH || seen.has(v) || --budget.nodes <= 0) {
    return { label: seen.has(v) ? `${label} (circular)` : label };
  }
  seen.add(v);
  // Only the first MAX_CHILDREN entries are ever copied: an array may hold millions.
  let entries: Array<[string, unknown]>;
  let total: number;
  if (v instanceof Map || v instanceof Set) {
    total = v.size;
    entries = [];
    for (const [k, x] of v.entries()) {
      if (entries.length > MAX_CHILDREN) break;
      entries.push([v instanceof Map ? short(k) : String(entries.length), x]);
    }
  } else if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const list = v as unknown as ArrayLike<unknown>;
    total = list.length;
    entries = Array.from({ length: Math.min(total, MAX_CHILDREN + 1) }, (_, i) => [String(i), list[i]]);
  } else {
    entries = ownEntries(v as object);
    total = entries.length;
  }
  const children = entries.slice(0, MAX_CHILDREN).map(([key, x]) => ({ key: cutText(key, MAX_SHORT_CHARS), node: inspect(x, depth + 1, seen, budget) }));
  if (total > MAX_CHILDREN) children.push({ key: '…', node: { label: `${total - MAX_CHILDREN} more` } });
  seen.delete(v);
  return { label, children };
}

/** Own enumerable properties, with getters named rather than called (a getter may never return). */
function ownEntries(v: object): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(v))) {
    if (!d.enumerable) continue;
    out.push([key, 'value' in d ? d.value : new Accessor(d.get ? (d.set ? 'Getter/Setter' : 'Getter') : 'Setter')]);
  }
  return out;
}

/** Shown in place of an accessor's value, as Node's console does: [Getter]. */
class Accessor {
  constructor(readonly kind: string) {}
}

/** A one-line preview like browsers' consoles: {a: 1, b: Tensor[2, 3] float32}. */
function preview(v: unknown, depth = 0): string {
  if (!v || typeof v !== 'object' || v instanceof Tensor || v instanceof Error || v instanceof Accessor || depth > 1) return short(v);
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const list = v as ArrayLike<unknown>;
    const items = Array.from({ length: Math.min(list.length, 10) }, (_, i) => preview(list[i], depth + 1));
    const more = (v as ArrayLike<unknown>).length > 10 ? ', …' : '';
    return `[${items.join(', ')}${more}]`;
  }
  if (v instanceof Map || v instanceof Set) return short(v);
  const entries = ownEntries(v as object);
  const items = entries.slice(0, 6).map(([k, x]) => `${k}: ${preview(x, depth + 1)}`);
  const name = v.constructor && v.constructor !== Object ? `${v.constructor.name} ` : '';
  return `${name}{${items.join(', ')}${entries.length > 6 ? ', …' : ''}}`;
}

/** A tensor too big to print: what it is, and what to do instead (formatting it could take minutes). */
function describeBigTensor(t: Tensor, shown: number): string {
  return `Tensor[${t.shape.join(', ')}] ${t.dtype}: ${t.size.toLocaleString('en')} values, too many to print (a print would show ${shown.toLocaleString('en')}, more than the ${MAX_TENSOR_VALUES.toLocaleString('en')} a cell prints). Print a part of it, or a summary such as its mean.`;
}

/** One console argument as the page shows it, bounded in size (see bound-output.ts). */
export async function toOutputPart(v: unknown): Promise<OutputPart> {
  if (typeof v === 'string') return { kind: 'text', text: cutText(v) };
  if (v instanceof Tensor) {
    const shown = shownValueCount(v.shape, printOptions);
    const text = shown > MAX_TENSOR_VALUES ? describeBigTensor(v, shown) : cutText(await formatTensor(v));
    return { kind: 'tensor', text, shape: [...v.shape], dtype: v.dtype };
  }
  if (v && typeof v === 'object' && !(v instanceof Error)) {
    const text = cutText(preview(v));
    // Short values are shown inline; anything longer can be unfolded.
    if (text.length <= 80 && !text.includes('…')) return { kind: 'value', preview: text };
    const tree = inspect(v, 0, new Set());
    return { kind: 'value', preview: text, ...(tree.children?.length ? { tree } : {}) };
  }
  if (v instanceof Error) return { kind: 'text', text: cutText(`${v.name}: ${v.message}`) };
  return { kind: 'text', text: cutText(typeof v === 'number' || typeof v === 'boolean' || v == null ? String(v) : short(v)) };
}

/** A thrown value described as a browser's console would (`Uncaught {message: 42}`), never throwing. */
export function describeThrown(v: unknown): string {
  try {
    if (typeof v === 'string') return cutText(v, 2000);
    if (v instanceof Tensor) return short(v);
    return cutText(v && typeof v === 'object' ? preview(v) : short(v), 2000);
  } catch {
    try {
      return Object.prototype.toString.call(v);
    } catch {
      return '(a value that cannot be shown)';
    }
  }
}

/**
 * A console for one run. Calls are queued so output keeps its order; after `limit` calls the rest
 * are counted, not sent (a loop printing a million lines must not drown the page).
 */
export function captureConsole(
  emit: (level: Level, parts: OutputPart[]) => void,
  opts: { limit: number; maxChars?: number; onDropped?: (count: number) => void },
): { console: CellConsole; inOrder<T>(value: Promise<T>, deliver: (v: T) => void): void; flush(): Promise<void> } {
  let queue: Promise<void> = Promise.resolve();
  let calls = 0;
  let chars = 0;
  let dropped = 0;
  const call = (level: Level) => (...args: unknown[]) => {
    if (++calls > opts.limit) {
      dropped++;
      return;
    }
    queue = queue.then(async () => {
      let parts: OutputPart[];
      try {
        parts = await Promise.all(args.map(toOutputPart));
      } catch (e) {
        parts = [{ kind: 'text', text: `(could not print this value: ${describeThrown((e as Error)?.message ?? e)})` }];
        level = 'error';
      }
      // Past the run's character budget, lines are counted like calls past the limit.
      chars += parts.reduce((n, p) => n + (p.kind === 'value' ? p.preview.length : p.text.length), 0);
      if (opts.maxChars !== undefined && chars > opts.maxChars) dropped++;
      else emit(level, parts);
    });
  };
  return {
    console: { log: call('log'), info: call('info'), warn: call('warn'), error: call('error') },
    /** Delivers `value` after everything printed before it (figures keep their place among lines). */
    inOrder(value, deliver) {
      queue = queue.then(() => value.then(deliver, () => undefined));
    },
    async flush() {
      await queue;
      if (dropped) opts.onDropped?.(dropped);
      dropped = 0;
    },
  };
}
