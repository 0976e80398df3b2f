// What a run prints and draws, collected from its events: console lines, dropped-output notes and
// figures (a figure with an id is redrawn in place, e.g. a loss curve during training). The worker
// sends output in batches; each batch is applied in one state update, so in one render.
import { useCallback, useRef, useState } from 'preact/hooks';
import type { RunEvent } from '../../runtime/page-session.ts';
import type { OutputEvent } from '../../runtime/protocol.ts';
import type { OutputItem } from './CellOutput.tsx';

/** Appends a batch to the items: figures with an id already shown are replaced where they are. */
export function applyOutput(items: OutputItem[], events: OutputEvent[], nextKey: () => string): OutputItem[] {
  const next = items.slice();
  for (const e of events) {
    if (e.kind === 'console') next.push({ kind: 'console', level: e.level, parts: e.parts });
    else if (e.kind === 'dropped') next.push({ kind: 'dropped', lines: e.lines, ...(e.figures ? { figures: e.figures } : {}) });
    else if (e.kind === 'view') next.push({ kind: 'view', view: e.view, key: nextKey() });
    else {
      const i = e.spec.id ? next.findIndex((x) => x.kind === 'plot' && x.spec.id === e.spec.id) : -1;
      if (i < 0) next.push({ kind: 'plot', spec: e.spec, key: nextKey() });
      else next[i] = { ...(next[i] as Extract<OutputItem, { kind: 'plot' }>), spec: e.spec };
    }
  }
  return next;
}

export function useRunOutput() {
  const [items, setItems] = useState<OutputItem[]>([]);
  const figures = useRef(0);
  const onEvent = useCallback((e: RunEvent) => {
    if (e.type === 'output') setItems((xs) => applyOutput(xs, e.events, () => `fig-${figures.current++}`));
  }, []);
  const clear = useCallback(() => setItems([]), []);
  return { items, onEvent, clear };
}
