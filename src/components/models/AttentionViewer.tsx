// Attention of any shipped Transformer: a layer × head grid of thumbnails and the chosen head's
// token-to-token heatmap (rows: the attending token, columns: the token attended to).
import type { WidgetProps } from '../embed/registry.ts';
import type { BertRunner } from '../../runtime/models/bert.ts';
import type { GptRunner } from '../../runtime/models/gpt.ts';
import type { Runner } from '../../runtime/models/load.ts';
import type { Seq2SeqRunner } from '../../runtime/models/seq2seq.ts';
import { ModelStatus } from './ModelStatus.tsx';
import { AttentionPanes, type LabelledMaps } from './AttentionPanes.tsx';
import { ATTENTION_MODELS, type AttentionModel, type AttentionViewerState } from './state.ts';
import { useInference } from './use-inference.ts';
import { useModel } from './use-model.ts';
import './models.css';

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
      {data && <AttentionPanes data={data} layer={layer} head={head} onPick={(l, h) => set({ layer: l, head: h })} />}
    </div>
  );
}
