// A linear autoregressive forecaster of daily US births, live: the window τ retrains the model by
// gradient descent (the engine on the main thread, yielding between chunks of steps), the horizon
// k and the start day move the forecast. Top: the series, one-step predictions and the k-step
// forecast fed on its own guesses; bottom: the error at every horizon over the test years.
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { WidgetProps } from '../../embed/registry.ts';
import { fitAR, forecastView, horizonErrors, standardise, type ARModel, type ForecastView, type HorizonErrors, type Standardised } from './forecast.ts';
import { dateOf, forecastFigure, horizonFigure, type FigureSize } from './plots.ts';
import { DAY_MAX, K_MAX, TAU_MAX, type ForecastState } from './state.ts';
import './ar-forecast.css';

/** 2000–2012 to fit on, 2013–2014 to test on (the chapter's split and the shipped LSTM's). */
export const SPLIT = 4749;
const FIT_STEPS = 300;

interface Births {
  start: string;
  births: number[];
  data: Standardised;
}

let sharedBirths: Promise<Births> | null = null;
function loadBirths(): Promise<Births> {
  const base = (import.meta as { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/';
  const url = `${base.replace(/\/$/, '')}/models/lstm-births/series.json`;
  sharedBirths ??= fetch(url)
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`could not load ${url} (HTTP ${r.status})`))))
    .then((s: { start: string; births: number[] }) => ({ start: s.start, births: s.births, data: standardise(s.births, SPLIT) }));
  sharedBirths.catch(() => (sharedBirths = null));
  return sharedBirths;
}

interface Fitted {
  model: ARModel;
  errors: HorizonErrors;
}

/** Fitted models by τ, kept for the page's life; a fit that is no longer wanted stops early. */
const fits = new Map<number, Promise<Fitted | null>>();
let wantedTau = 0;
function fitted(b: Births, tau: number, onProgress: (step: number) => void): Promise<Fitted | null> {
  wantedTau = tau;
  let p = fits.get(tau);
  if (!p) {
    p = fitAR(b.data.z, SPLIT, tau, {
      steps: FIT_STEPS,
      onProgress: async (step) => {
        onProgress(step);
        await new Promise((r) => setTimeout(r, 0)); // let the page breathe between chunks
        return wantedTau === tau;
      },
    }).then(async (model) => (model ? { model, errors: await horizonErrors(b.births, b.data, SPLIT, model, K_MAX) } : null));
    p.then((r) => r ?? fits.delete(tau), () => fits.delete(tau));
    fits.set(tau, p);
  }
  return p;
}

function usePlotBoxes(layout: WidgetProps<unknown>['layout']) {
  const root = useRef<HTMLDivElement>(null);
  const top = useRef<HTMLDivElement>(null);
  const bottom = useRef<HTMLDivElement>(null);
  const [boxes, setBoxes] = useState<{ top: FigureSize; bottom: FigureSize } | null>(null);
  useLayoutEffect(() => {
    const measure = () => {
      if (!root.current || !top.current || !bottom.current) return;
      const fontSize = parseFloat(getComputedStyle(root.current).fontSize) || 16;
      const box = (el: HTMLElement, aspect: number): FigureSize => ({
        width: el.clientWidth,
        height: layout === 'slide' ? el.clientHeight : Math.min(300, Math.round(el.clientWidth * aspect)),
        fontSize,
      });
      const next = { top: box(top.current, 0.55), bottom: box(bottom.current, 0.55) };
      setBoxes((prev) => (prev && JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
    };
    measure();
    const observer = new ResizeObserver(measure);
    [root.current, top.current, bottom.current].forEach((el) => el && observer.observe(el));
    return () => observer.disconnect();
  }, [layout]);
  return { root, top, bottom, boxes };
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "Sun 17 Nov 2013", the same in every browser and locale. */
const fmtDate = (d: Date) => `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
const fmt = (v: number) => Math.round(v).toLocaleString('en-US');
const days = (n: number) => `${n} day${n > 1 ? 's' : ''}`;

export default function ArForecast({ state, onStateChange, layout }: WidgetProps<ForecastState>) {
  const id = useId();
  const [births, setBirths] = useState<Births | null>(null);
  const [fit, setFit] = useState<(Fitted & { tau: number }) | null>(null);
  const [view, setView] = useState<(ForecastView & { key: string }) | null>(null);
  const [training, setTraining] = useState<number | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const { root, top, bottom, boxes } = usePlotBoxes(layout);
  const draws = useRef(0);

  useEffect(() => {
    loadBirths().then(setBirths, (e: unknown) => setFailure(String(e)));
  }, []);

  useEffect(() => {
    if (!births) return;
    let current = true;
    setTraining(fits.has(state.tau) ? null : 0);
    fitted(births, state.tau, (step) => current && setTraining(step)).then(
      (r) => {
        if (!current || !r) return;
        setTraining(null);
        setFit({ ...r, tau: state.tau });
      },
      (e: unknown) => current && setFailure(String(e)),
    );
    return () => {
      current = false;
    };
  }, [births, state.tau]);

  const origin = SPLIT + state.day - 1; // the last day the forecaster sees
  const key = `${state.tau}/${state.k}/${state.day}`;
  useEffect(() => {
    if (!births || !fit || fit.tau !== state.tau) return;
    let current = true;
    forecastView(births.births, births.data, fit.model, origin, state.k).then(
      (v) => current && setView({ ...v, key }),
      (e: unknown) => current && setFailure(String(e)),
    );
    return () => {
      current = false;
    };
  }, [births, fit, origin, state.k, state.tau, key]);

  const ready = !!(births && fit && view && fit.tau === state.tau && view.key === key);
  const firstDay = births ? fmtDate(dateOf(births.start, origin + 1)) : '';
  const errors = fit?.errors;
  const summary =
    errors && fit.tau === state.tau
      ? `Over ${errors.origins} starts in 2013–2014, ${state.k} day${state.k > 1 ? 's' : ''} ahead: AR(${state.tau}) fed its own guesses ${fmt(errors.ar[state.k - 1]!)} births/day, seasonal naive ${fmt(errors.seasonal[state.k - 1]!)}, last value ${fmt(errors.last[state.k - 1]!)}. One step ahead, AR(${state.tau}): ${fmt(errors.ar[0]!)}.`
      : '';

  useEffect(() => {
    if (!ready || !boxes || !births || !fit || !view) return;
    const describeTop = `Births from ${fmtDate(dateOf(births.start, view.days[0]!))} to ${fmtDate(dateOf(births.start, view.days.at(-1)!))}, the one-step-ahead predictions of AR(${state.tau}), and its ${state.k}-day forecast from ${firstDay} fed on its own guesses, with the seasonal naive forecast.`;
    top.current?.replaceChildren(forecastFigure(view, origin, births.start, boxes.top, describeTop));
    bottom.current?.replaceChildren(horizonFigure(fit.errors, state.k, boxes.bottom, `Mean absolute error against the horizon, 1 to ${K_MAX} days, for AR(${state.tau}) fed its own predictions and the seasonal naive forecast. ${summary}`));
    draws.current += 1;
    root.current?.setAttribute('data-draws', String(draws.current));
  }, [ready, boxes, view, fit]);

  // The readout is short (the label names the quantity); the slider's aria-valuetext says it in full.
  const slider = (name: keyof ForecastState, label: string, min: number, max: number, valueText: string, readout: string) => (
    <div class="sq-control">
      <label for={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        type="range"
        min={min}
        max={max}
        step={1}
        value={state[name]}
        aria-valuetext={valueText}
        onInput={(e) => onStateChange({ ...state, [name]: Math.round(Number(e.currentTarget.value)) })}
      />
      <output for={`${id}-${name}`} class="sq-readout" aria-live="off">
        {readout}
      </output>
    </div>
  );

  return (
    <div
      ref={root}
      class={`sq-widget sq-${layout}`}
      data-tau={state.tau}
      data-k={state.k}
      data-day={state.day}
      data-ready={ready ? 'true' : 'false'}
      data-ar-mae={ready && errors ? Math.round(errors.ar[state.k - 1]!) : ''}
    >
      <div class="sq-controls">
        {slider('tau', 'Window τ', 1, TAU_MAX, `τ = ${days(state.tau)}`, days(state.tau))}
        {slider('k', 'Horizon k', 1, K_MAX, `k = ${days(state.k)}`, days(state.k))}
        {slider('day', 'Start', 0, DAY_MAX, `first forecast day ${firstDay || state.day}`, firstDay || `day ${state.day}`)}
      </div>
      <p class="sq-summary" aria-live="polite">
        {training !== null ? `Training AR(${state.tau}) by gradient descent… step ${training} of ${FIT_STEPS}` : summary}
      </p>
      {failure && (
        <p class="sq-failure" role="alert">
          The widget could not compute: {failure}
        </p>
      )}
      <div class="sq-figures">
        <figure class="sq-figure">
          <figcaption id={`${id}-top`}>Forecast from {firstDay || '…'}</figcaption>
          <ul class="sq-key" aria-label="Legend">
            <li><span class="sq-swatch sq-swatch-actual" aria-hidden="true" />births</li>
            <li><span class="sq-swatch sq-swatch-onestep" aria-hidden="true" />one step ahead</li>
            <li><span class="sq-swatch sq-swatch-rolled" aria-hidden="true" />{state.k} steps, fed back</li>
            <li><span class="sq-swatch sq-swatch-seasonal" aria-hidden="true" />seasonal naive</li>
          </ul>
          <div class="sq-plot" ref={top} role="group" aria-labelledby={`${id}-top`} />
        </figure>
        <figure class="sq-figure">
          <figcaption id={`${id}-bottom`}>Error against the horizon, 2013–2014</figcaption>
          <ul class="sq-key" aria-label="Legend">
            <li><span class="sq-swatch sq-swatch-rolled" aria-hidden="true" />AR({state.tau}), fed back</li>
            <li><span class="sq-swatch sq-swatch-seasonal" aria-hidden="true" />seasonal naive</li>
          </ul>
          <div class="sq-plot" ref={bottom} role="group" aria-labelledby={`${id}-bottom`} />
        </figure>
      </div>
    </div>
  );
}
