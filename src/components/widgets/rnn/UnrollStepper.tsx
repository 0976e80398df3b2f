// Unrolling, one step at a time: a slider walks t through a one-unit RNN reading a short input,
// and the line under the diagram evaluates h_t = tanh(w_xh·x_t + w_hh·h_{t−1} + b) with numbers.
// Chapter-only (not an embed); the diagram is the shared UnrolledRNN.
import { useId, useState } from 'preact/hooks';
import UnrolledRNN, { subscript } from '../../diagrams/UnrolledRNN.tsx';
import './rnn-gradients.css';

export interface UnrollStepperProps {
  /** The input sequence x_1 … x_T (one number each). */
  inputs?: readonly number[];
  wxh?: number;
  whh?: number;
  b?: number;
}

/** h_1 … h_T of the one-unit tanh RNN, starting from h_0 = 0. */
export function scalarStates(inputs: readonly number[], wxh: number, whh: number, b: number): number[] {
  const states: number[] = [];
  let h = 0;
  for (const x of inputs) {
    h = Math.tanh(wxh * x + whh * h + b);
    states.push(h);
  }
  return states;
}

const fmt = (v: number) => (Object.is(Math.round(v * 100) / 100, -0) ? '0.00' : v.toFixed(2));

export default function UnrollStepper({ inputs = [1, 0, 0, 0, 0, 0], wxh = 1, whh = 0.8, b = 0 }: UnrollStepperProps) {
  const id = useId();
  const [t, setT] = useState(1);
  const states = scalarStates(inputs, wxh, whh, b);
  const T = inputs.length;
  const previous = t === 1 ? 0 : states[t - 2]!;
  const shown = states.map((h, i) => (i < t ? h : 0));
  return (
    <div class="unroll-stepper not-content">
      <div class="us-control">
        <label for={`${id}-t`}>Time step t</label>
        <input
          id={`${id}-t`}
          type="range"
          min={1}
          max={T}
          step={1}
          value={t}
          aria-valuetext={`t = ${t}, h${subscript(t)} = ${fmt(states[t - 1]!)}`}
          onInput={(e) => setT(Number(e.currentTarget.value))}
        />
        <output for={`${id}-t`}>t = {t}</output>
      </div>
      <UnrolledRNN
        id={`${id}-diagram`}
        steps={T}
        cellLabel="tanh"
        highlight={t}
        values={shown}
        valueLabel="the state hₜ computed so far"
        title={`A one-unit RNN unrolled over ${T} steps, computing step ${t}`}
      />
      <p class="us-equation" aria-live="polite">
        h{subscript(t)} = tanh({wxh} · x{subscript(t)} + {whh} · h{subscript(t - 1)} + {b}) = tanh({wxh} · {inputs[t - 1]} + {whh} · {fmt(previous)} + {b}) ={' '}
        <strong>{fmt(states[t - 1]!)}</strong>
      </p>
    </div>
  );
}
