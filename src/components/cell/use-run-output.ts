// What a run prints and draws, collected from its events: console lines, dropped-line notes and
// figures (a figure with an id is redrawn in place, e.g. a loss curve during training).
import { useCallback, useRef, useState } from 'preact/hooks';
import type { RunEvent } from '../../runtime/page-session.ts';
import type { OutputItem } from './CellOutput.tsx';

export function useRunOutput() {
  const [items, setItems] = useState<OutputItem[]>([]);
  const figures = useRef(0);
  const onEvent = useCallback((e: RunEvent) => {
    if (e.type === 'console') setItems((xs) => [...xs, { kind: 'console', level: e.level, parts: e.parts }]);
    else if (e.type === 'dropped') setItems((xs) => [...xs, { kind: 'dropped', lines: e.lines }]);
    else if (e.type === 'plot') {
      setItems((xs) => {
        const i = e.spec.id ? xs.findIndex((x) => x.kind === 'plot' && x.spec.id === e.spec.id) : -1;
        if (i < 0) return [...xs, { kind: 'plot', spec: e.spec, key: `fig-${figures.current++}` }];
        const next = xs.slice();
        next[i] = { ...(xs[i] as Extract<OutputItem, { kind: 'plot' }>), spec: e.spec };
        return next;
      });
    }
  }, []);
  const clear = useCallback(() => setItems([]), []);
  return { items, onEvent, clear };
}
