// Temperature and soft targets: a slider over T shows a teacher's and a student's distributions
// over ten digits and the soft loss KL(p_T ‖ q_T) with its gradient, raw and scaled by T², so the
// reader sees what the wrong classes say and why the loss is multiplied by T².
import { useId, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { WidgetProps } from '../../embed/registry.ts';
import { distributionsFigure, type FigureSize } from './plots.ts';
import { EXAMPLES, EXAMPLE_KEYS, softTargets } from './soft-targets.ts';
import { TEMPERATURES, type SoftTargetsState } from './state.ts';
import './soft-targets.css';

const fmt = (x: number) => (x >= 0.01 ? x.toFixed(3) : x.toExponential(1));

export default function SoftTargetsWidget({ state, onStateChange, layout }: WidgetProps<SoftTargetsState>) {
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const slot = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<FigureSize | null>(null);
  const example = EXAMPLES[state.example] ?? EXAMPLES.two!;
  const s = useMemo(() => softTargets(example, state.T), [example, state.T]);

  useLayoutEffect(() => {
    const measure = () => {
      const el = slot.current;
      if (!el || !root.current) return;
      const fontSize = parseFloat(getComputedStyle(root.current).fontSize) || 16;
      const next = { width: el.clientWidth, height: layout === 'slide' ? el.clientHeight : Math.min(280, Math.round(el.clientWidth * 0.6)), fontSize };
      setSize((prev) => (prev && JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
    };
    measure();
    const observer = new ResizeObserver(measure);
    [root.current, slot.current].forEach((el) => el && observer.observe(el));
    return () => observer.disconnect();
  }, [layout]);

  useLayoutEffect(() => {
    if (size) slot.current?.replaceChildren(distributionsFigure(example, s, size));
  }, [s, size]);

  const index = Math.max(0, TEMPERATURES.indexOf(state.T));
  const T2 = state.T * state.T;
  return (
    <div ref={root} class={`st-widget st-${layout}`} data-widget-ready={size ? 'true' : undefined} data-t={state.T} data-example={state.example} data-kl={s.kl.toFixed(6)}>
      <div class="st-controls">
        <div class="st-examples" role="group" aria-label="Image">
          {EXAMPLE_KEYS.map((k) => (
            <button type="button" key={k} aria-pressed={k === state.example} onClick={() => onStateChange({ ...state, example: k })}>
              {EXAMPLES[k]!.label}
            </button>
          ))}
        </div>
        <div class="st-slider">
          <label for={`${id}-t`}>Temperature T</label>
          <input id={`${id}-t`} type="range" min={0} max={TEMPERATURES.length - 1} step={1} value={index} aria-valuetext={`T = ${state.T}`}
            onInput={(e) => onStateChange({ ...state, T: TEMPERATURES[Number(e.currentTarget.value)] ?? state.T })} />
          <output for={`${id}-t`} class="st-readout">T = {state.T}</output>
        </div>
      </div>
      <p class="st-summary">
        The teacher gives the true class <strong>{example.target}</strong> {(100 * s.p[example.target]!).toFixed(1)} % and the
        other nine classes <strong class="st-wrong">{(100 * s.wrongMass).toFixed(1)} %</strong>.
      </p>
      <div class="st-body">
        <figure class="st-figure">
          <figcaption id={`${id}-title`}>
            <span class="st-key st-key-teacher" aria-hidden="true" /> teacher <span class="st-key st-key-student" aria-hidden="true" /> student,
            both at T = {state.T}
          </figcaption>
          <div class="st-plot" ref={slot} role="group" aria-labelledby={`${id}-title`} />
        </figure>
        <table class="st-table">
          <caption>The soft loss and its gradient</caption>
          <tbody>
            <tr><th scope="row">KL(p<sub>T</sub> ‖ q<sub>T</sub>)</th><td class="st-kl">{fmt(s.kl)}</td></tr>
            <tr><th scope="row">T² · KL</th><td class="st-kl2">{fmt(T2 * s.kl)}</td></tr>
            <tr><th scope="row">‖∂KL/∂s‖</th><td class="st-grad">{fmt(s.gradNorm)}</td></tr>
            <tr><th scope="row">T² · ‖∂KL/∂s‖</th><td class="st-grad2">{fmt(T2 * s.gradNorm)}</td></tr>
            <tr><th scope="row">hard loss (T = 1)</th><td>{fmt(s.hard)}</td></tr>
          </tbody>
        </table>
      </div>
    </div>
  );
}
