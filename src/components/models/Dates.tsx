// The seq2seq date normaliser: type a date, read the ISO output, see which source characters
// each output character attended to (cross-attention, one layer, one head or the mean of heads).
import type { WidgetProps } from '../embed/registry.ts';
import type { Seq2SeqRunner } from '../../runtime/models/seq2seq.ts';
import { LayerHeadSelect } from './LayerHeadSelect.tsx';
import { ModelStatus } from './ModelStatus.tsx';
import { PlotFigure } from './PlotFigure.tsx';
import { heatmap, layerWeights } from './heatmap.ts';
import type { DatesState } from './state.ts';
import { useInference } from './use-inference.ts';
import { useModel } from './use-model.ts';
import './models.css';

export default function Dates({ state, onStateChange }: WidgetProps<DatesState>) {
  const m = useModel<Seq2SeqRunner>('seq2seq-dates');
  const { result, error, ms } = useInference(m.model?.runner, (runner) => runner.translate(state.source), [state.source]);
  const set = (patch: Partial<DatesState>): void => onStateChange({ ...state, ...patch });


  const heads = result?.crossAttention.heads ?? 4;
  const layers = result?.crossAttention.layers ?? 2;
  return (
    <div class="model-widget" data-widget-ready={result ? 'true' : undefined} data-infer-ms={ms ?? undefined}>
      <ModelStatus name="seq2seq-dates" state={m} inferenceMs={ms} label="decoding" />
      <label class="model-field">
        A date, written any way
        <input type="text" value={state.source} maxLength={48} onInput={(e) => set({ source: e.currentTarget.value })} />
      </label>
      {error && <p role="alert" class="model-error">{error}</p>}
      {result && (
        <>
          <p class="model-result">
            → <output data-testid="iso-date">{result.output}</output>
          </p>
          <LayerHeadSelect layers={layers} heads={heads} layer={state.layer} head={state.head} onChange={set} />
          <figure class="model-figure">
            <figcaption>Cross-attention: row = the decoder step (its input character; it produces the next one), column = the source character it reads.</figcaption>
            <PlotFigure
              deps={[result, state.layer, state.head]}
              make={() => {
                const matrix = layerWeights(result.crossAttention, state.layer, state.head);
                return heatmap(matrix, { rowLabels: result.tgtTokens, colLabels: result.srcTokens, width: 560, title: 'Cross-attention' }) as Element;
              }}
            />
          </figure>
        </>
      )}
    </div>
  );
}
