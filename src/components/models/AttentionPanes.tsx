// The attention viewer's panes: a layer × head grid of thumbnails and the chosen head's
// token-to-token heatmap (rows: the attending token, columns: the token attended to). Shared by
// the shipped-model widget (AttentionViewer.tsx) and a cell's viewers.attention output.
import type { AttentionMaps } from '../../runtime/models/session.ts';
import { PlotFigure } from './PlotFigure.tsx';
import { headMatrix, heatmap } from './heatmap.ts';
import './models.css';

export interface LabelledMaps {
  maps: AttentionMaps;
  rows: string[];
  cols: string[];
  /** What the maps are, e.g. "causal self-attention". */
  kind: string;
}

export function AttentionGrid({ data, layer, head, onPick }: { data: LabelledMaps; layer: number; head: number; onPick: (layer: number, head: number) => void }) {
  const { maps } = data;
  return (
    <div class="attention-grid" style={{ gridTemplateColumns: `auto repeat(${maps.heads}, 1fr)` }} role="group" aria-label="Layers (rows) by heads (columns)">
      <span />
      {Array.from({ length: maps.heads }, (_, h) => <span class="attention-grid-label" key={`h${h}`}>head {h + 1}</span>)}
      {Array.from({ length: maps.layers }, (_, l) => [
        <span class="attention-grid-label" key={`l${l}`}>layer {l + 1}</span>,
        ...Array.from({ length: maps.heads }, (_, h) => (
          <button
            type="button"
            key={`${l}-${h}`}
            class={`attention-thumb${l === layer && h === head ? ' is-selected' : ''}`}
            aria-pressed={l === layer && h === head}
            aria-label={`layer ${l + 1}, head ${h + 1}`}
            onClick={() => onPick(l, h)}
          >
            <PlotFigure deps={[data, l, h]} make={() => heatmap(headMatrix(maps, l, h), { rowLabels: data.rows, colLabels: data.cols, width: 72, thumbnail: true }) as Element} />
          </button>
        )),
      ])}
    </div>
  );
}

export function AttentionPanes({ data, layer, head, onPick }: { data: LabelledMaps; layer: number; head: number; onPick: (layer: number, head: number) => void }) {
  return (
    <div class="attention-panes">
      <div>
        <p class="model-caption">{data.kind}: {data.maps.layers} layers × {data.maps.heads} heads. Pick a head:</p>
        <AttentionGrid data={data} layer={layer} head={head} onPick={onPick} />
      </div>
      <figure class="model-figure">
        <figcaption>Layer {layer + 1}, head {head + 1}: each row is a token attending; each column a token attended to.</figcaption>
        <PlotFigure deps={[data, layer, head]} make={() => heatmap(headMatrix(data.maps, layer, head), { rowLabels: data.rows, colLabels: data.cols, width: 560, title: `Attention, layer ${layer + 1}, head ${head + 1}` }) as Element} />
      </figure>
    </div>
  );
}
