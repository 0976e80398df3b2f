// Scores → weights, live: a width slider, a temperature slider and "New vectors" redraw the weights
// that the dot product, the scaled dot product and the additive score give ten random keys, and
// mark d on the curve of the mean largest weight. The engine computes on the main thread (CPU
// backend): one query is a few small matmuls; the curve (11 widths × 48 draws) is recomputed only
// when the temperature changes.
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { WidgetProps } from '../../embed/registry.ts';
import { saturationFigure, weightsFigure, type FigureSize } from './plots.ts';
import { DIMS, SCORINGS, SCORING_LABELS, saturationCurve, scoreOneQuery, type SaturationCurve, type ScoringResult } from './scoring.ts';
import { TEMPERATURES, nextSeed, type AttentionScoringState } from './state.ts';
import './attention-scoring.css';

interface Boxes {
  weights: { width: number; height: number };
  curve: { width: number; height: number };
  fontSize: number;
}

/** Watches the two plot slots; in page layout their height follows their width. */
function usePlotBoxes(layout: WidgetProps<unknown>['layout']) {
  const root = useRef<HTMLDivElement>(null);
  const weightsSlot = useRef<HTMLDivElement>(null);
  const curveSlot = useRef<HTMLDivElement>(null);
  const [boxes, setBoxes] = useState<Boxes | null>(null);
  useLayoutEffect(() => {
    const measure = () => {
      if (!root.current || !weightsSlot.current || !curveSlot.current) return;
      const fontSize = parseFloat(getComputedStyle(root.current).fontSize) || 16;
      const box = (el: HTMLElement, aspect: number) => {
        const width = el.clientWidth;
        return { width, height: layout === 'slide' ? el.clientHeight : Math.max(250, Math.min(340, Math.round(width * aspect))) };
      };
      const next = { weights: box(weightsSlot.current, 0.75), curve: box(curveSlot.current, 0.75), fontSize };
      setBoxes((prev) => (prev && JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
    };
    measure();
    const observer = new ResizeObserver(measure);
    [root.current, weightsSlot.current, curveSlot.current].forEach((el) => el && observer.observe(el));
    return () => observer.disconnect();
  }, [layout]);
  return { root, weightsSlot, curveSlot, boxes };
}

/** Runs an async computation whenever its inputs change; a result that arrives after a newer request started is dropped. */
function useComputed<T>(compute: () => Promise<T>, deps: unknown[], onError: (e: unknown) => void): T | null {
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    let current = true;
    compute().then(
      (v) => current && setValue(v),
      (e: unknown) => current && onError(e),
    );
    return () => {
      current = false;
    };
  }, deps);
  return value;
}

export default function AttentionScoring({ state, onStateChange, layout }: WidgetProps<AttentionScoringState>) {
  const id = useId();
  const [failure, setFailure] = useState<string | null>(null);
  const fail = (e: unknown) => setFailure(String(e));
  const result = useComputed<ScoringResult>(() => scoreOneQuery(state.d, state.temperature, state.seed), [state.d, state.temperature, state.seed], fail);
  const curve = useComputed<SaturationCurve>(() => saturationCurve(state.temperature), [state.temperature], fail);
  const { root, weightsSlot, curveSlot, boxes } = usePlotBoxes(layout);
  const draws = useRef(0);

  useEffect(() => {
    if (!result || !curve || !boxes) return;
    const size = (b: { width: number; height: number }): FigureSize => ({ ...b, fontSize: boxes.fontSize });
    weightsSlot.current?.replaceChildren(weightsFigure(result, size(boxes.weights)));
    curveSlot.current?.replaceChildren(saturationFigure(curve, result.d, size(boxes.curve)));
    draws.current += 1;
    root.current?.setAttribute('data-draws', String(draws.current));
  }, [result, curve, boxes]);

  const dIndex = Math.max(0, DIMS.indexOf(state.d));
  const tIndex = Math.max(0, TEMPERATURES.indexOf(state.temperature));
  const shown = result && result.d === state.d && result.temperature === state.temperature && result.seed === state.seed && curve?.temperature === state.temperature;

  return (
    <div ref={root} class={`as-widget as-${layout}`} data-d={state.d} data-temperature={state.temperature} data-seed={state.seed} data-ready={shown ? 'true' : 'false'}>
      <div class="as-controls">
        <div class="as-slider">
          <label for={`${id}-d`}>Width d</label>
          <input
            id={`${id}-d`}
            type="range"
            min={0}
            max={DIMS.length - 1}
            step={1}
            value={dIndex}
            aria-valuetext={`d = ${state.d}`}
            onInput={(e) => onStateChange({ ...state, d: DIMS[Number(e.currentTarget.value)] ?? state.d })}
          />
          <output for={`${id}-d`} class="as-readout as-readout-d" aria-live="off">d = {state.d}</output>
        </div>
        <div class="as-slider">
          <label for={`${id}-t`}>Temperature τ</label>
          <input
            id={`${id}-t`}
            type="range"
            min={0}
            max={TEMPERATURES.length - 1}
            step={1}
            value={tIndex}
            aria-valuetext={`τ = ${state.temperature}`}
            onInput={(e) => onStateChange({ ...state, temperature: TEMPERATURES[Number(e.currentTarget.value)] ?? state.temperature })}
          />
          <output for={`${id}-t`} class="as-readout as-readout-t" aria-live="off">τ = {state.temperature}</output>
        </div>
        <button type="button" class="as-button" onClick={() => onStateChange({ ...state, seed: nextSeed(state.seed) })}>
          New vectors
        </button>
      </div>
      {failure && (
        <p class="as-failure" role="alert">
          The widget could not compute: {failure}
        </p>
      )}
      <div class="as-figures">
        <figure class="as-figure">
          <figcaption id={`${id}-weights-title`}>Weights softmax(score / τ) of 10 random keys</figcaption>
          <table class="as-stats">
            <thead>
              <tr>
                <th scope="col">score</th>
                <th scope="col">largest α</th>
                <th scope="col">entropy (uniform: 3.32 bits)</th>
              </tr>
            </thead>
            <tbody>
              {SCORINGS.map((s) => (
                <tr key={s} data-scoring={s}>
                  <th scope="row">
                    <span class={`as-swatch as-swatch-${s}`} aria-hidden="true" />
                    {SCORING_LABELS[s]}
                  </th>
                  <td class="as-max">{result ? result.rows[s].max.toFixed(2) : '…'}</td>
                  <td class="as-entropy">{result ? `${result.rows[s].entropyBits.toFixed(2)} bits` : '…'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="as-plot" ref={weightsSlot} role="group" aria-labelledby={`${id}-weights-title`} />
        </figure>
        <figure class="as-figure">
          <figcaption id={`${id}-curve-title`}>Mean largest weight as d grows (48 draws; your d marked)</figcaption>
          <ul class="as-key" aria-label="Legend">
            {SCORINGS.map((s) => (
              <li key={s}>
                <span class={`as-swatch as-swatch-${s}`} aria-hidden="true" />
                {SCORING_LABELS[s]}
              </li>
            ))}
            <li>
              <span class="as-swatch as-swatch-uniform" aria-hidden="true" />
              uniform, 1/10
            </li>
          </ul>
          <div class="as-plot" ref={curveSlot} role="group" aria-labelledby={`${id}-curve-title`} />
        </figure>
      </div>
    </div>
  );
}
