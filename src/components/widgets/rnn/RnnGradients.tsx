// Vanishing and exploding gradients, live: choose the activation, the spectral radius ρ of W_hh
// and the length T; the engine runs the recurrence forward, backpropagates L = u · h_T, and the
// widget draws ‖∂L/∂h_t‖ for every step, on the unrolled network and as a log-scale curve.
// One update is T small matmuls on the main thread (CPU backend): a few milliseconds.
import * as Plot from '@observablehq/plot';
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import UnrolledRNN, { subscript } from '../../diagrams/UnrolledRNN.tsx';
import type { WidgetProps } from '../../embed/registry.ts';
import { asImage, plotFrame } from '../figure.ts';
import { ACTIVATIONS, decadesLost, gradientNorms, type BpttResult } from './bptt.ts';
import {
  RHO_MAX,
  RHO_MIN,
  RHO_STEP,
  STEPS_MAX,
  STEPS_MIN,
  clampRho,
  clampSteps,
  formatRho,
  type RnnGradientsState,
} from './state.ts';
import './rnn-gradients.css';

const ACTIVATION_LABELS = { linear: 'linear', tanh: 'tanh' } as const;

/** What the readout says about the gradient's trip from h_T back to h_1. */
export function verdict(result: BpttResult): string {
  const d = decadesLost(result);
  const back = `From h${subscript(result.steps)} back to h${subscript(1)}`;
  if (!Number.isFinite(d)) return `${back} the gradient overflows.`;
  if (Math.abs(d) < 0.5) return `${back} the gradient keeps its size (×10^${d.toFixed(1)}).`;
  return d < 0
    ? `${back} the gradient shrinks by a factor of 10^${(-d).toFixed(1)}: it vanishes.`
    : `${back} the gradient grows by a factor of 10^${d.toFixed(1)}: it explodes.`;
}

const SUPERSCRIPT: Record<string, string> = Object.fromEntries([...'0123456789-'].map((c, i) => [c, '⁰¹²³⁴⁵⁶⁷⁸⁹⁻'[i]!]));
/** A tick at a power of ten as 10ⁿ; other ticks get no label. */
function powerOfTen(v: number): string {
  const n = Math.round(Math.log10(v));
  return Math.abs(Math.log10(v) - n) < 1e-6 ? `10${[...String(n)].map((c) => SUPERSCRIPT[c] ?? c).join('')}` : '';
}

function gradientFigure(result: BpttResult, width: number, height: number, fontSize: number): SVGSVGElement | HTMLElement {
  const points = result.norms.map((n, i) => ({ t: i + 1, n })).filter((p) => p.n > 0 && Number.isFinite(p.n));
  const figure = Plot.plot({
    ...plotFrame({ width, height, fontSize }, { left: 3.6, bottom: 2.6, top: 1.4, right: 1 }, { width: 220, height: 150 }),
    x: { domain: [1, result.steps], label: 'time step t', grid: true },
    y: { type: 'log', label: '‖∂L/∂hₜ‖', grid: true, tickFormat: powerOfTen, ticks: 5 },
    marks: [
      Plot.ruleY([1], { stroke: 'currentColor', strokeOpacity: 0.4 }),
      Plot.line(points, { x: 't', y: 'n', stroke: 'var(--rg-line)', strokeWidth: 2.4 * (fontSize / 13), className: 'rg-norms' }),
      Plot.dot(points, { x: 't', y: 'n', r: 2.4 * (fontSize / 13), fill: 'var(--rg-line)' }),
    ],
  });
  return asImage(figure, `Gradient norm at each of ${result.steps} steps, log scale. ${verdict(result)}`);
}

export default function RnnGradients({ state, onStateChange, layout }: WidgetProps<RnnGradientsState>) {
  const id = useId();
  const [result, setResult] = useState<BpttResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const plotSlot = useRef<HTMLDivElement>(null);
  const [box, setBox] = useState<{ width: number; height: number; fontSize: number } | null>(null);

  useLayoutEffect(() => {
    const measure = () => {
      if (!root.current || !plotSlot.current) return;
      const fontSize = parseFloat(getComputedStyle(root.current).fontSize) || 16;
      const width = plotSlot.current.clientWidth;
      const height = layout === 'slide' ? plotSlot.current.clientHeight : Math.min(320, Math.round(width * 0.45));
      setBox((prev) => (prev && prev.width === width && prev.height === height && prev.fontSize === fontSize ? prev : { width, height, fontSize }));
    };
    measure();
    const observer = new ResizeObserver(measure);
    [root.current, plotSlot.current].forEach((el) => el && observer.observe(el));
    return () => observer.disconnect();
  }, [layout]);

  // Recompute on every change; a result that arrives after a newer request started is dropped.
  useEffect(() => {
    let current = true;
    gradientNorms({ rho: state.rho, activation: state.activation, steps: state.steps }).then(
      (r) => current && (setResult(r), setFailure(null)),
      (e: unknown) => current && setFailure(String(e)),
    );
    return () => {
      current = false;
    };
  }, [state.rho, state.activation, state.steps]);

  useEffect(() => {
    if (!result || !box || !plotSlot.current) return;
    plotSlot.current.replaceChildren(gradientFigure(result, box.width, box.height, box.fontSize));
  }, [result, box]);

  const shown = result && result.rho === state.rho && result.activation === state.activation && result.steps === state.steps ? result : null;
  const rho = formatRho(state.rho);
  return (
    <div
      ref={root}
      class={`rg-widget rg-${layout}`}
      data-activation={state.activation}
      data-rho={rho}
      data-steps={state.steps}
      data-ready={shown ? 'true' : 'false'}
      data-decades={shown ? decadesLost(shown).toFixed(2) : ''}
    >
      <div class="rg-controls">
        <fieldset class="rg-activation">
          <legend>Activation φ</legend>
          {ACTIVATIONS.map((a) => (
            <label key={a}>
              <input
                type="radio"
                name={`${id}-act`}
                value={a}
                checked={state.activation === a}
                onChange={() => onStateChange({ ...state, activation: a })}
              />
              {ACTIVATION_LABELS[a]}
            </label>
          ))}
        </fieldset>
        <div class="rg-slider">
          <label for={`${id}-rho`}>Spectral radius ρ of W_hh</label>
          <input
            id={`${id}-rho`}
            type="range"
            min={RHO_MIN}
            max={RHO_MAX}
            step={RHO_STEP}
            value={state.rho}
            aria-valuetext={`ρ = ${rho}`}
            onInput={(e) => onStateChange({ ...state, rho: clampRho(Number(e.currentTarget.value)) })}
          />
          <output for={`${id}-rho`} class="rg-readout rg-rho" aria-live="off">ρ = {rho}</output>
        </div>
        <div class="rg-slider">
          <label for={`${id}-steps`}>Length T</label>
          <input
            id={`${id}-steps`}
            type="range"
            min={STEPS_MIN}
            max={STEPS_MAX}
            step={1}
            value={state.steps}
            aria-valuetext={`T = ${state.steps} steps`}
            onInput={(e) => onStateChange({ ...state, steps: clampSteps(Number(e.currentTarget.value)) })}
          />
          <output for={`${id}-steps`} class="rg-readout rg-steps" aria-live="off">T = {state.steps}</output>
        </div>
      </div>
      <p class="rg-verdict" aria-live="polite">{shown ? verdict(shown) : 'Computing…'}</p>
      {failure && (
        <p class="rg-failure" role="alert">
          The widget could not compute: {failure}
        </p>
      )}
      <div class="rg-figures">
        <div class="rg-diagram">
          <UnrolledRNN
            id={`${id}-unrolled`}
            steps={state.steps}
            cellLabel={state.activation}
            values={shown?.norms ?? []}
            valueLabel="‖∂L/∂hₜ‖, the gradient reaching each step"
            valueScale="log"
            title={`The network unrolled over ${state.steps} steps, with the gradient norm at each step`}
          />
        </div>
        <div class="rg-plot" ref={plotSlot} role="group" aria-label="Gradient norm per time step" />
      </div>
    </div>
  );
}
