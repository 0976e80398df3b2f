// What a run printed and drew, under the cell.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentType } from 'preact';
import type { InspectNode, ModelView, OutputPart, PlotSpec } from '../../runtime/protocol.ts';
import { MAX_FIGURES } from '../../runtime/bound-output.ts';

export type OutputItem =
  | { kind: 'console'; level: 'log' | 'info' | 'warn' | 'error'; parts: OutputPart[] }
  | { kind: 'dropped'; lines: number; figures?: number }
  | { kind: 'plot'; spec: PlotSpec; key: string }
  | { kind: 'view'; view: ModelView; key: string };

/** Lines kept on screen per run (the worker sends at most CONSOLE_LIMIT console calls). */
export const MAX_VISIBLE_ITEMS = 1000;

function Tree({ node, name }: { node: InspectNode; name?: string }) {
  const label = name === undefined ? node.label : `${name}: ${node.label}`;
  if (!node.children?.length) return <div class="cell-tree-leaf">{label}</div>;
  return (
    <details class="cell-tree">
      <summary>{label}</summary>
      <div class="cell-tree-children">
        {node.children.map((c) => (
          <Tree key={c.key} node={c.node} name={c.key} />
        ))}
      </div>
    </details>
  );
}

function Part({ part }: { part: OutputPart }) {
  if (part.kind === 'text') return <span>{part.text}</span>;
  if (part.kind === 'tensor') return <span class="cell-tensor">{part.text}</span>;
  return part.tree ? <Tree node={{ ...part.tree, label: part.preview }} /> : <span>{part.preview}</span>;
}

/**
 * Figures are drawn one per animation frame, page-wide: a batch of figures (or a figure redrawn
 * many times a second) never holds the main thread for longer than one drawing.
 */
const drawQueue: Array<() => void> = [];
let drawing = false;
function scheduleDraw(draw: () => void): void {
  drawQueue.push(draw);
  if (drawing) return;
  drawing = true;
  const next = () => {
    const job = drawQueue.shift();
    if (!job) {
      drawing = false;
      return;
    }
    job();
    requestAnimationFrame(next);
  };
  requestAnimationFrame(next);
}

function Figure({ spec }: { spec: PlotSpec }) {
  const ref = useRef<HTMLDivElement>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    import('./render-plot.ts')
      .then(({ renderPlot }) =>
        // A newer spec for this figure cancels this drawing before it starts.
        scheduleDraw(() => {
          const host = ref.current;
          if (cancelled || !host) return;
          try {
            host.replaceChildren(renderPlot(spec, host.clientWidth || 640));
          } catch (e) {
            setFailure(`Could not draw this figure: ${(e as Error).message}`);
          }
        }),
      )
      .catch((e: Error) => setFailure(`Could not draw this figure: ${e.message}`));
    return () => {
      cancelled = true;
    };
  }, [spec]);
  return (
    // Observable Plot wraps titled charts in a <figure> of its own, so this is a plain group.
    <div class="cell-figure" role="group" aria-label={spec.title ?? `${spec.mark} chart`}>
      {failure ? <p class="cell-error-text">{failure}</p> : <div ref={ref} />}
      {spec.note && <p class="cell-figure-note">{spec.note}</p>}
    </div>
  );
}

/** A model viewer (viewers.attention / viewers.nextToken), its code loaded on first use. */
function View({ view }: { view: ModelView }) {
  const [Viewer, setViewer] = useState<ComponentType<{ view: ModelView }> | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    import('./ModelViewOutput.tsx').then((m) => setViewer(() => m.default), (e: Error) => setFailure(`Could not open the viewer: ${e.message}`));
  }, []);
  if (failure) return <p class="cell-error-text">{failure}</p>;
  return Viewer ? <Viewer view={view} /> : <p class="cell-figure-note">Opening the viewer…</p>;
}

function droppedText(item: Extract<OutputItem, { kind: 'dropped' }>): string {
  const parts: string[] = [];
  if (item.lines) parts.push(`… ${item.lines.toLocaleString('en')} more console lines were not shown.`);
  if (item.figures) {
    parts.push(`… ${item.figures.toLocaleString('en')} more figures were not drawn (a cell draws at most ${MAX_FIGURES}; give a figure an id to redraw it in place).`);
  }
  return parts.join(' ');
}

export function CellOutput({ items }: { items: OutputItem[] }) {
  // Notes about dropped output always show, even past the visible limit.
  const shown = items.filter((item, i) => i < MAX_VISIBLE_ITEMS || item.kind === 'dropped');
  const hidden = items.length - shown.length;
  return (
    <>
      {shown.map((item, i) => {
        if (item.kind === 'plot') return <Figure key={item.key} spec={item.spec} />;
        if (item.kind === 'view') return <View key={item.key} view={item.view} />;
        if (item.kind === 'dropped') {
          return (
            <div key={i} class="cell-line cell-line-note">
              {droppedText(item)}
            </div>
          );
        }
        return (
          <div key={i} class={`cell-line cell-line-${item.level}`}>
            {item.parts.map((p, j) => (
              <>
                {j > 0 ? ' ' : ''}
                <Part key={j} part={p} />
              </>
            ))}
          </div>
        );
      })}
      {hidden > 0 && <div class="cell-line cell-line-note">… {hidden} more lines not shown.</div>}
    </>
  );
}
