// Console output of readers' code: arguments become OutputParts (tensors printed like PyTorch,
// objects as a small collapsible tree), delivered in call order even though tensors read async.
import { Tensor, formatTensor } from '../engine/index.ts';
import type { CellConsole } from './execute.ts';
import type { InspectNode, OutputPart } from './protocol.ts';

type Level = 'log' | 'info' | 'warn' | 'error';

const MAX_CHILDREN = 50;
const MAX_DEPTH = 4;

function short(v: unknown): string {
  if (v instanceof Tensor) return `Tensor[${v.shape.join(', ')}] ${v.dtype}`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function') return `ƒ ${v.name || 'anonymous'}()`;
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return `Array(${v.length})`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<number>).length})`;
  if (v instanceof Map) return `Map(${v.size})`;
  if (v instanceof Set) return `Set(${v.size})`;
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  if (v && typeof v === 'object') return v.constructor && v.constructor !== Object ? v.constructor.name : '{…}';
  return String(v);
}

function inspect(v: unknown, depth: number, seen: Set<unknown>): InspectNode {
  const label = short(v);
  if (!v || typeof v !== 'object' || v instanceof Tensor || v instanceof Error || depth >= MAX_DEPTH || seen.has(v)) {
    return { label: seen.has(v) ? `${label} (circular)` : label };
  }
  seen.add(v);
  let entries: Array<[string, unknown]>;
  if (v instanceof Map) entries = [...v.entries()].map(([k, x]) => [short(k), x]);
  else if (v instanceof Set) entries = [...v.values()].map((x, i) => [String(i), x]);
  else if (ArrayBuffer.isView(v)) entries = Array.from(v as unknown as ArrayLike<number>, (x, i) => [String(i), x]);
  else entries = Object.entries(v as object);
  const children = entries.slice(0, MAX_CHILDREN).map(([key, x]) => ({ key, node: inspect(x, depth + 1, seen) }));
  if (entries.length > MAX_CHILDREN) children.push({ key: '…', node: { label: `${entries.length - MAX_CHILDREN} more` } });
  seen.delete(v);
  return { label, children };
}

/** A one-line preview like browsers' consoles: {a: 1, b: Tensor[2, 3] float32}. */
function preview(v: unknown, depth = 0): string {
  if (!v || typeof v !== 'object' || v instanceof Tensor || v instanceof Error || depth > 1) return short(v);
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const items = Array.from(v as ArrayLike<unknown>).slice(0, 10).map((x) => preview(x, depth + 1));
    const more = (v as ArrayLike<unknown>).length > 10 ? ', …' : '';
    return `[${items.join(', ')}${more}]`;
  }
  if (v instanceof Map || v instanceof Set) return short(v);
  const entries = Object.entries(v as object);
  const items = entries.slice(0, 6).map(([k, x]) => `${k}: ${preview(x, depth + 1)}`);
  const name = v.constructor && v.constructor !== Object ? `${v.constructor.name} ` : '';
  return `${name}{${items.join(', ')}${entries.length > 6 ? ', …' : ''}}`;
}

export async function toOutputPart(v: unknown): Promise<OutputPart> {
  if (typeof v === 'string') return { kind: 'text', text: v };
  if (v instanceof Tensor) return { kind: 'tensor', text: await formatTensor(v), shape: [...v.shape], dtype: v.dtype };
  if (v && typeof v === 'object' && !(v instanceof Error)) {
    const text = preview(v);
    // Short values are shown inline; anything longer can be unfolded.
    if (text.length <= 80 && !text.includes('…')) return { kind: 'value', preview: text };
    const tree = inspect(v, 0, new Set());
    return { kind: 'value', preview: text, ...(tree.children?.length ? { tree } : {}) };
  }
  if (v instanceof Error) return { kind: 'text', text: `${v.name}: ${v.message}` };
  return { kind: 'text', text: typeof v === 'number' || typeof v === 'boolean' || v == null ? String(v) : short(v) };
}

/**
 * A console for one run. Calls are queued so output keeps its order; after `limit` calls the rest
 * are counted, not sent (a loop printing a million lines must not drown the page).
 */
export function captureConsole(
  emit: (level: Level, parts: OutputPart[]) => void,
  opts: { limit: number; onDropped?: (count: number) => void },
): { console: CellConsole; inOrder<T>(value: Promise<T>, deliver: (v: T) => void): void; flush(): Promise<void> } {
  let queue: Promise<void> = Promise.resolve();
  let calls = 0;
  let dropped = 0;
  const call = (level: Level) => (...args: unknown[]) => {
    if (++calls > opts.limit) {
      dropped++;
      return;
    }
    queue = queue.then(async () => {
      try {
        emit(level, await Promise.all(args.map(toOutputPart)));
      } catch (e) {
        emit('error', [{ kind: 'text', text: `(could not print this value: ${(e as Error).message})` }]);
      }
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
