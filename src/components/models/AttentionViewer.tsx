// Attention of any shipped Transformer: a layer × head grid of thumbnails and the chosen head's
// token-to-token heatmap (rows: the attending token, columns: the token attended to).
import type { WidgetProps } from '../embed/registry.ts';
import type { BertRunner } from '../../runtime/models/bert.ts';
import type { GptRunner } from '../../runtime/models/gpt.ts';
import type { Runner } from '../../runtime/models/load.ts';
import type { Seq2SeqRunner } from '../../runtime/models/seq2seq.ts';
import type { AttentionMaps } from '../../runtime/models/session.ts';
import { ModelStatus } from './ModelStatus.tsx';
import { PlotFigure } from './PlotFigure.tsx';
import { headMatrix, heatmap } from './heatmap.ts';
import { ATTENTION_MODELS, type AttentionModel, type AttentionViewerState } from './state.ts';
import { useInference } from './use-inference.ts';
import { useModel } from './use-model.ts';
import './models.css';

export interface LabelledMaps {
  maps: AttentionMaps;
  rows: string[];
  cols: string[];
  /** What the maps are, e.g. "causal self-attention". */
  kind: string;
}

async function attentionFor(model: AttentionModel, runner: Runner, input: string): Promise<LabelledMaps> {
  if (model === 'bert-sotu') {
    const r = await (runner as BertRunner).forward(input);
    return { maps: r.attention, rows: r.tokens, cols: r.tokens, kind: 'self-attention (bidirectional)' };
  }
  if (model === 'seq2seq-dates') {
    const r = await (runner as Seq2SeqRunner).translate(input);
    return { maps: r.crossAttention, rows: r.tgtTokens, cols: r.srcTokens, kind: `cross-attention (decoder → source), output “${r.output}”` };
  }
  const gpt = runner as GptRunner;
  const step = await gpt.step(gpt.encode(input));
  const tokens = step.ids.map((id) => gpt.tokenizer.decode([id]));
  return { maps: step.attention, rows: tokens, cols: tokens, kind: 'causal self-attention' };
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

export default function AttentionViewer({ state, onStateChange }: WidgetProps<AttentionViewerState>) {
  const m = useModel<Runner>(state.model);
  const { result: data, error, ms } = useInference(m.model?.runner, (runner) => attentionFor(state.model, runner, state.text), [state.model, state.text]);
  const set = (patch: Partial<AttentionViewerState>): void => onStateChange({ ...state, ...patch });

  const layer = data ? Math.min(state.layer, data.maps.layers - 1) : 0;
  const head = data ? Math.min(state.head, data.maps.heads - 1) : 0;
  return (
    <div class="model-widget" data-widget-ready={data ? 'true' : undefined} data-infer-ms={ms ?? undefined}>
      <div class="model-controls">
        <label>
          Model
          <select value={state.model} onChange={(e) => { set({ model: e.currentTarget.value as AttentionModel, layer: 0, head: 0 }); }}>
            {ATTENTION_MODELS.map((name) => <option value={name} key={name}>{name}</option>)}
          </select>
        </label>
      </div>
      <ModelStatus name={state.model} state={m} inferenceMs={ms} />
      <label class="model-field">
        Input
        <input type="text" value={state.text} onInput={(e) => set({ text: e.currentTarget.value })} />
      </label>
      {error && <p role="alert" class="model-error">{error}</p>}
      {data && (
        <div class="attention-panes">
          <div>
            <p class="model-caption">{data.kind}: {data.maps.layers} layers × {data.maps.heads} heads. Pick a head:</p>
            <AttentionGrid data={data} layer={layer} head={head} onPick={(l, h) => set({ layer: l, head: h })} />
          </div>
          <figure class="model-figure">
            <figcaption>Layer {layer + 1}, head {head + 1}: each row is a token attending; each column a token attended to.</figcaption>
            <PlotFigure deps={[data, layer, head]} make={() => heatmap(headMatrix(data.maps, layer, head), { rowLabels: data.rows, colLabels: data.cols, width: 560, title: `Attention, layer ${layer + 1}, head ${head + 1}` }) as Element} />
          </figure>
        </div>
      )}
    </div>
  );
}
