// The LSTM forecaster on real data: pick a start day, roll the model forward on its own
// predictions and compare with what happened.
import * as Plot from '@observablehq/plot';
import type { WidgetProps } from '../embed/registry.ts';
import type { ForecasterRunner } from '../../runtime/models/forecaster.ts';
import { ModelStatus } from './ModelStatus.tsx';
import { PlotFigure } from './PlotFigure.tsx';
import type { ForecastState } from './state.ts';
import { useInference } from './use-inference.ts';
import { useModel } from './use-model.ts';
import './models.css';

interface Point {
  date: Date;
  births: number;
  series: 'actual' | 'forecast';
}

/** The model rolled forward from `state.start`, the 28 days before it, and its mean absolute error. */
async function forecastFrom(runner: ForecasterRunner, state: ForecastState): Promise<{ points: Point[]; mae: number }> {
  const births = runner.series.births;
  const start = Math.round((Date.parse(`${state.start}T00:00:00Z`) - Date.parse(`${runner.series.start}T00:00:00Z`)) / 86_400_000);
  if (!(start >= runner.window && start < births.length)) throw new Error(`pick a start day between ${runner.dateAt(runner.window)} and ${runner.dateAt(births.length - 1)}`);
  const days = Math.min(state.days, births.length - start);
  const forecast = await runner.forecast(births.slice(0, start), days);
  const points: Point[] = [];
  for (let i = start - 28; i < start + days; i++) points.push({ date: new Date(runner.dateAt(i)), births: births[i]!, series: 'actual' });
  forecast.forEach((v, i) => points.push({ date: new Date(runner.dateAt(start + i)), births: v, series: 'forecast' }));
  const mae = forecast.reduce((sum, v, i) => sum + Math.abs(v - births[start + i]!), 0) / days;
  return { points, mae };
}

export default function Forecast({ state, onStateChange }: WidgetProps<ForecastState>) {
  const m = useModel<ForecasterRunner>('lstm-births');
  const { result, error, ms } = useInference(m.model?.runner, (runner) => forecastFrom(runner, state), [state.start, state.days]);
  const points = result?.points;
  const mae = result?.mae;

  return (
    <div class="model-widget" data-widget-ready={points ? 'true' : undefined} data-infer-ms={ms ?? undefined}>
      <ModelStatus name="lstm-births" state={m} inferenceMs={ms} label={`${state.days}-day forecast`} />
      <div class="model-controls">
        <label>
          First forecast day
          <input type="date" min="2000-02-26" max="2014-12-31" value={state.start} onChange={(e) => e.currentTarget.value && onStateChange({ ...state, start: e.currentTarget.value })} />
        </label>
        <label>
          days ahead {state.days}
          <input type="range" min={7} max={56} step={7} value={state.days} onInput={(e) => onStateChange({ ...state, days: Number(e.currentTarget.value) })} />
        </label>
      </div>
      {error && <p role="alert" class="model-error">{error}</p>}
      {points && (
        <figure class="model-figure">
          <figcaption>
            Daily US births: what happened, and the LSTM's forecast fed back on itself from {state.start}. Mean absolute error{' '}
            <strong data-testid="forecast-mae">{Math.round(mae!).toLocaleString('en')}</strong> births/day.
          </figcaption>
          <PlotFigure
            deps={[points]}
            make={() => Plot.plot({
              width: 620,
              ariaLabel: `Daily US births and the LSTM forecast from ${state.start}`,
              height: 280,
              y: { label: 'births per day', grid: true },
              x: { label: null },
              color: { legend: true, domain: ['actual', 'forecast'], range: ['#888', '#d62728'] },
              marks: [Plot.lineY(points, { x: 'date', y: 'births', stroke: 'series', strokeWidth: 1.5 }), Plot.dot(points.filter((p) => p.series === 'forecast'), { x: 'date', y: 'births', fill: 'series', r: 2 })],
            }) as Element}
          />
        </figure>
      )}
    </div>
  );
}
