// Fill in the blank with the shipped BERT: each [MASK] gets its top candidates.
import type { WidgetProps } from '../embed/registry.ts';
import type { BertRunner } from '../../runtime/models/bert.ts';
import { ModelStatus } from './ModelStatus.tsx';
import { PlotFigure } from './PlotFigure.tsx';
import { barChart } from './heatmap.ts';
import type { FillBlankState } from './state.ts';
import { useInference } from './use-inference.ts';
import { useModel } from './use-model.ts';
import './models.css';

export default function FillBlank({ state, onStateChange }: WidgetProps<FillBlankState>) {
  const m = useModel<BertRunner>('bert-sotu');
  const { result, error, ms } = useInference(m.model?.runner, (runner) => runner.fill(state.sentence, 8), [state.sentence]);

  return (
    <div class="model-widget" data-widget-ready={result ? 'true' : undefined} data-infer-ms={ms ?? undefined}>
      <ModelStatus name="bert-sotu" state={m} inferenceMs={ms} />
      <label class="model-field">
        <span>Sentence (write <code>[MASK]</code> for each blank)</span>
        <input type="text" value={state.sentence} onInput={(e) => onStateChange({ sentence: e.currentTarget.value })} />
      </label>
      <div class="model-buttons">
        <button type="button" onClick={() => onStateChange({ sentence: `${state.sentence.trim()} [MASK]` })}>Add a blank at the end</button>
      </div>
      {error && <p role="alert" class="model-error">{error}</p>}
      {result?.masks.map((mask, i) => (
        <figure class="model-figure" key={mask.position}>
          <figcaption>
            Blank {i + 1}: best guess <strong data-testid="best-fill">“{mask.candidates[0]!.text.trim()}”</strong>
          </figcaption>
          <PlotFigure deps={[mask]} make={() => barChart(mask.candidates.map((c) => ({ label: `“${c.text.trim()}”`, probability: c.probability })), 480, `Candidates for blank ${i + 1}`) as Element} />
        </figure>
      ))}
    </div>
  );
}
