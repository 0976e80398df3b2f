// One LSTM unit, live: choose an input and the gate biases, and see the gates, the cell state (the
// belt) and the hidden state over 12 steps, with the cell diagram showing the selected step. The
// computation is a dozen scalar steps (lstm-unit.ts), so every change redraws at once.
import { useId } from 'preact/hooks';
import type { WidgetProps } from '../../embed/registry.ts';
import LSTMCell from '../../diagrams/LSTMCell.tsx';
import { INPUTS, INPUT_NAMES, SEQ_STEPS, beltGradient, runUnit, unitWeights, type InputName, type Step } from './lstm-unit.ts';
import { BIAS_MAX, BIAS_MIN, BIAS_STEP, clampBias, clampStep, type LSTMGatesState } from './state.ts';
import './lstm-gates.css';

const INPUT_LABELS: Record<InputName, string> = { pulse: 'One pulse', 'two-pulses': 'Two writes', wiggle: 'Wiggle' };

const SERIES = [
  { key: 'c', label: 'cell state c', cls: 'lg-c' },
  { key: 'h', label: 'hidden state h', cls: 'lg-h' },
  { key: 'f', label: 'forget gate f', cls: 'lg-f' },
  { key: 'i', label: 'input gate i', cls: 'lg-i' },
] as const;

/** Line chart of the series over time, the input as bars, a marker at the selected step. */
function Chart({ steps, selected, onSelect }: { steps: Step[]; selected: number; onSelect: (t: number) => void }) {
  const W = 560, H = 260, left = 40, right = 12, top = 12, bottom = 34;
  const lo = -1.2, hi = 1.2;
  const x = (t: number) => left + ((t - 0.5) / SEQ_STEPS) * (W - left - right);
  const y = (v: number) => top + ((hi - v) / (hi - lo)) * (H - top - bottom);
  const path = (key: 'c' | 'h' | 'f' | 'i') => steps.map((s, k) => `${k ? 'L' : 'M'} ${x(k + 1).toFixed(1)} ${y(s[key]).toFixed(1)}`).join(' ');
  return (
    <svg class="lg-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Over ${SEQ_STEPS} steps: cell state ${steps.map((s) => s.c.toFixed(2)).join(', ')}`}>
      {[-1, 0, 1].map((v) => (
        <g key={v}>
          <line class="lg-grid" x1={left} x2={W - right} y1={y(v)} y2={y(v)} />
          <text class="lg-tick" x={left - 6} y={y(v) + 4} text-anchor="end">{v}</text>
        </g>
      ))}
      {steps.map((s, k) => (
        <rect
          key={k}
          class="lg-input"
          x={x(k + 1) - 8}
          width={16}
          y={Math.min(y(0), y(s.x))}
          height={Math.abs(y(s.x) - y(0))}
        />
      ))}
      <rect class="lg-marker" x={x(selected) - 16} width={32} y={top} height={H - top - bottom} />
      {SERIES.map((s) => <path key={s.key} class={`lg-line ${s.cls}`} d={path(s.key)} />)}
      {steps.map((_, k) => (
        <text key={k} class={`lg-tick${k + 1 === selected ? ' lg-tick-on' : ''}`} x={x(k + 1)} y={H - bottom + 18} text-anchor="middle" onClick={() => onSelect(k + 1)}>
          {k + 1}
        </text>
      ))}
      <text class="lg-tick" x={(W + left) / 2} y={H - 2} text-anchor="middle">time step t (bars: input x_t)</text>
    </svg>
  );
}

function BiasSlider(props: { id: string; label: string; value: number; onChange: (v: number) => void }) {
  return (
    <div class="lg-slider">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="range"
        min={BIAS_MIN}
        max={BIAS_MAX}
        step={BIAS_STEP}
        value={props.value}
        aria-valuetext={`${props.value}, gate σ(${props.value}) = ${(1 / (1 + Math.exp(-props.value))).toFixed(2)}`}
        onInput={(e) => props.onChange(clampBias(Number(e.currentTarget.value), props.value))}
      />
      <output for={props.id} class="lg-readout" aria-live="off">{props.value.toFixed(1)}</output>
    </div>
  );
}

export default function LSTMGates({ state, onStateChange, layout }: WidgetProps<LSTMGatesState>) {
  const id = useId();
  const set = (patch: Partial<LSTMGatesState>) => onStateChange({ ...state, ...patch });
  const steps = runUnit(INPUTS[state.input], unitWeights({ forget: state.forgetBias, input: state.inputBias, output: state.outputBias }));
  const current = steps[state.step - 1]!;
  const kept = beltGradient(steps);
  return (
    <div class={`lg-widget lg-${layout}`} data-ready="true" data-input={state.input} data-forget={state.forgetBias} data-step={state.step} data-belt={kept.toPrecision(3)}>
      <div class="lg-controls">
        <fieldset class="lg-inputs">
          <legend>Input</legend>
          {INPUT_NAMES.map((name) => (
            <label key={name}>
              <input type="radio" name={`${id}-input`} value={name} checked={state.input === name} onChange={() => set({ input: name })} />
              {INPUT_LABELS[name]}
            </label>
          ))}
        </fieldset>
        <BiasSlider id={`${id}-forget`} label="Forget bias b_f" value={state.forgetBias} onChange={(v) => set({ forgetBias: v })} />
        <BiasSlider id={`${id}-input-bias`} label="Input bias b_i" value={state.inputBias} onChange={(v) => set({ inputBias: v })} />
        <BiasSlider id={`${id}-output`} label="Output bias b_o" value={state.outputBias} onChange={(v) => set({ outputBias: v })} />
        <div class="lg-slider">
          <label for={`${id}-step`}>Step t</label>
          <input
            id={`${id}-step`}
            type="range"
            min={1}
            max={SEQ_STEPS}
            step={1}
            value={state.step}
            aria-valuetext={`step ${state.step}: c = ${current.c.toFixed(2)}, h = ${current.h.toFixed(2)}`}
            onInput={(e) => set({ step: clampStep(Number(e.currentTarget.value)) })}
          />
          <output for={`${id}-step`} class="lg-readout" aria-live="off">{state.step}</output>
        </div>
      </div>
      <p class="lg-summary">
        Belt factor ∂c<sub>{SEQ_STEPS}</sub>/∂c<sub>1</sub> = ∏ f<sub>t</sub> = <strong class="lg-belt">{kept < 1e-3 ? kept.toExponential(1) : kept.toFixed(3)}</strong>; cell state at the last step: <strong>{steps[SEQ_STEPS - 1]!.c.toFixed(2)}</strong>
      </p>
      <div class="lg-figures">
        <figure class="lg-figure">
          <figcaption>Gates and states over time</figcaption>
          <ul class="lg-key" aria-label="Legend">
            {SERIES.map((s) => (
              <li key={s.key}><span class={`lg-swatch ${s.cls}`} aria-hidden="true" />{s.label}</li>
            ))}
          </ul>
          <Chart steps={steps} selected={state.step} onSelect={(t) => set({ step: t })} />
        </figure>
        <div class="lg-cell">
          <LSTMCell values={current} active={state.part} onActiveChange={(part) => set({ part })} />
        </div>
      </div>
    </div>
  );
}
