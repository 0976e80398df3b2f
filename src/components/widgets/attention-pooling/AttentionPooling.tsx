// Attention pooling, live: a kernel choice and a bandwidth slider redraw the Nadaraya–Watson fit
// and the attention-weight heatmap. The engine computes on the main thread (CPU backend): at
// 100 queries × 50 keys one update takes a few milliseconds, so dragging stays smooth.
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { WidgetProps } from '../../embed/registry.ts';
import { KERNELS, KERNEL_LABELS } from './kernels.ts';
import { makeData, poolingResult, type PoolingData, type PoolingResult } from './nadaraya-watson.ts';
import { fitFigure, weightsFigure, weightsLegend, type FigureSize } from './plots.ts';
import { SIGMA_MAX, SIGMA_MIN, SIGMA_STEP, clampSigma, formatSigma, type AttentionPoolingState } from './state.ts';
import './attention-pooling.css';

let sharedData: Promise<PoolingData> | null = null;
/** The seeded training data, made once per page however many widgets it shows. */
function trainingData(): Promise<PoolingData> {
  sharedData ??= makeData();
  return sharedData;
}

interface Boxes {
  fit: { width: number; height: number };
  weights: { width: number; height: number };
  fontSize: number;
}

/** Watches the two plot slots; in page layout their height follows their width. */
function usePlotBoxes(layout: WidgetProps<unknown>['layout']) {
  const root = useRef<HTMLDivElement>(null);
  const fitSlot = useRef<HTMLDivElement>(null);
  const weightsSlot = useRef<HTMLDivElement>(null);
  const [boxes, setBoxes] = useState<Boxes | null>(null);
  useLayoutEffect(() => {
    const measure = () => {
      if (!root.current || !fitSlot.current || !weightsSlot.current) return;
      const fontSize = parseFloat(getComputedStyle(root.current).fontSize) || 16;
      const box = (el: HTMLElement, aspect: number) => {
        const width = el.clientWidth;
        return { width, height: layout === 'slide' ? el.clientHeight : Math.min(360, Math.round(width * aspect)) };
      };
      const next = { fit: box(fitSlot.current, 0.5), weights: box(weightsSlot.current, 0.62), fontSize };
      setBoxes((prev) => (prev && JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
    };
    measure();
    const observer = new ResizeObserver(measure);
    [root.current, fitSlot.current, weightsSlot.current].forEach((el) => el && observer.observe(el));
    return () => observer.disconnect();
  }, [layout]);
  return { root, fitSlot, weightsSlot, boxes };
}

function replaceChildren(host: HTMLElement | null, child: Element): void {
  host?.replaceChildren(child);
}

export default function AttentionPooling({ state, onStateChange, layout }: WidgetProps<AttentionPoolingState>) {
  const id = useId();
  const [data, setData] = useState<PoolingData | null>(null);
  const [result, setResult] = useState<PoolingResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const { root, fitSlot, weightsSlot, boxes } = usePlotBoxes(layout);
  const legendSlot = useRef<HTMLDivElement>(null);
  const draws = useRef(0);

  useEffect(() => {
    trainingData().then(setData, (e: unknown) => setFailure(String(e)));
  }, []);

  // Recompute on every change; a result that arrives after a newer request started is dropped.
  useEffect(() => {
    if (!data) return;
    let current = true;
    poolingResult(data, state.kernel, state.sigma).then(
      (r) => current && setResult(r),
      (e: unknown) => current && setFailure(String(e)),
    );
    return () => {
      current = false;
    };
  }, [data, state.kernel, state.sigma]);

  useEffect(() => {
    if (!data || !result || !boxes) return;
    const size = (b: { width: number; height: number }): FigureSize => ({ ...b, fontSize: boxes.fontSize });
    replaceChildren(fitSlot.current, fitFigure(data, result, size(boxes.fit)));
    replaceChildren(weightsSlot.current, weightsFigure(data, result, size(boxes.weights)));
    replaceChildren(legendSlot.current, weightsLegend(result, boxes.fontSize, boxes.weights.width));
    draws.current += 1;
    root.current?.setAttribute('data-draws', String(draws.current));
  }, [data, result, boxes]);

  const kernelLabel = KERNEL_LABELS[state.kernel];
  const sigma = formatSigma(state.sigma);
  const uncovered = result && result.kernel === state.kernel && result.sigma === state.sigma ? result.uncoveredCount : 0;
  const total = result?.queries ?? 100;
  const coverage =
    uncovered > 0
      ? `${uncovered} of ${total} queries have no training point within σ: no estimate there (grey).`
      : state.kernel === 'gaussian'
        ? 'The Gaussian kernel gives every key some weight, so the estimate is defined everywhere.'
        : 'Every query point has a training point within σ.';

  return (
    <div
      ref={root}
      class={`ap-widget ap-${layout}`}
      data-kernel={state.kernel}
      data-sigma={sigma}
      data-uncovered={uncovered}
      data-ready={result ? 'true' : 'false'}
    >
      <div class="ap-controls">
        <fieldset class="ap-kernels">
          <legend>Kernel</legend>
          {KERNELS.map((k) => (
            <label key={k}>
              <input
                type="radio"
                name={`${id}-kernel`}
                value={k}
                checked={state.kernel === k}
                onChange={() => onStateChange({ ...state, kernel: k })}
              />
              {KERNEL_LABELS[k]}
            </label>
          ))}
        </fieldset>
        <div class="ap-bandwidth">
          <label for={`${id}-sigma`}>Bandwidth σ</label>
          <input
            id={`${id}-sigma`}
            type="range"
            min={SIGMA_MIN}
            max={SIGMA_MAX}
            step={SIGMA_STEP}
            value={state.sigma}
            aria-valuetext={`σ = ${sigma}${uncovered ? `, ${uncovered} queries uncovered` : ''}`}
            onInput={(e) => onStateChange({ ...state, sigma: clampSigma(Number(e.currentTarget.value)) })}
          />
          {/* The slider's aria-valuetext already speaks σ; a live <output> would repeat every step. */}
          <output for={`${id}-sigma`} class="ap-readout" aria-live="off">
            σ = {sigma}
          </output>
        </div>
      </div>
      <p class="ap-coverage" data-uncovered={uncovered > 0 ? 'yes' : 'no'}>
        {coverage}
      </p>
      {failure && (
        <p class="ap-failure" role="alert">
          The widget could not compute: {failure}
        </p>
      )}
      <div class="ap-figures">
        <figure class="ap-figure">
          <figcaption id={`${id}-fit-title`}>
            Fitted curve: {kernelLabel}, σ = {sigma}
          </figcaption>
          <ul class="ap-key" aria-label="Legend">
            <li><span class="ap-swatch ap-swatch-fit" aria-hidden="true" />fitted curve</li>
            <li><span class="ap-swatch ap-swatch-true" aria-hidden="true" />true f(x)</li>
            <li><span class="ap-swatch ap-swatch-points" aria-hidden="true" />training data</li>
          </ul>
          <div class="ap-plot" ref={fitSlot} role="group" aria-labelledby={`${id}-fit-title`} />
        </figure>
        <figure class="ap-figure">
          <figcaption id={`${id}-weights-title`}>Attention weights α(query, key)</figcaption>
          <div class="ap-legend" ref={legendSlot} />
          <div class="ap-plot" ref={weightsSlot} role="group" aria-labelledby={`${id}-weights-title`} />
        </figure>
      </div>
    </div>
  );
}
