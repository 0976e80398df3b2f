// The LSTM cell as a live SVG diagram: point at (hover or focus) a gate, the belt or the output
// and its equation appears under the figure, with its value when the host passes activations
// (the lstm-gates widget does). Drawn with the pieces in live-diagram.tsx; styles in
// live-diagram.css, imported by the page.
import { useId, useState } from 'preact/hooks';
import { Caption, GateBox, Label, Node, Part, type PartInfo, type PartValues } from './live-diagram.tsx';

export const LSTM_PARTS = {
  f: { name: 'Forget gate', equation: 'f_{t} = σ(x_{t} W_{xf}^{⊤} + h_{t−1} W_{hf}^{⊤} + b_{f})', meaning: 'How much of each entry of the old cell state c_{t−1} to keep: 1 keeps it, 0 wipes it.' },
  i: { name: 'Input gate', equation: 'i_{t} = σ(x_{t} W_{xi}^{⊤} + h_{t−1} W_{hi}^{⊤} + b_{i})', meaning: 'How much of the candidate to write onto the belt.' },
  g: { name: 'Candidate cell', equation: 'g_{t} = tanh(x_{t} W_{xg}^{⊤} + h_{t−1} W_{hg}^{⊤} + b_{g})', meaning: 'The new content proposed for the belt, between −1 and 1.' },
  o: { name: 'Output gate', equation: 'o_{t} = σ(x_{t} W_{xo}^{⊤} + h_{t−1} W_{ho}^{⊤} + b_{o})', meaning: 'How much of the (squashed) cell state to show as the hidden state.' },
  c: { name: 'Cell state (the belt)', equation: 'c_{t} = f_{t} ⊙ c_{t−1} + i_{t} ⊙ g_{t}', meaning: 'Scaled by the forget gate and added to — no matrix, no squashing — so gradients along it are multiplied only by f_{t}.' },
  h: { name: 'Hidden state', equation: 'h_{t} = o_{t} ⊙ tanh(c_{t})', meaning: 'What the next step, the next layer and the output head see.' },
} satisfies Record<string, PartInfo>;

export type LSTMPart = keyof typeof LSTM_PARTS;

export interface LSTMCellProps {
  /** Activations of one step, shown on the diagram and in the caption. */
  values?: PartValues<LSTMPart>;
  /** Controlled selection (the widget keeps it); uncontrolled when absent. */
  active?: LSTMPart;
  onActiveChange?: (part: LSTMPart) => void;
}

export default function LSTMCell({ values = {}, active: controlled, onActiveChange }: LSTMCellProps) {
  const id = useId();
  const [own, setOwn] = useState<LSTMPart>('c');
  const active = controlled ?? own;
  const select = (k: LSTMPart) => (onActiveChange ? onActiveChange(k) : setOwn(k));
  const captionId = `${id}-caption`;
  const common = { active, select, captionId };
  const all = Object.values(LSTM_PARTS).map((p) => `${p.name}: ${p.equation.replace(/[_^]\{([^}]*)\}/g, '$1')}`).join('; ');
  return (
    <figure class="cd-figure not-content">
      <svg class="cd-svg" viewBox="0 0 640 310" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`}>
        <title id={`${id}-title`}>An LSTM cell: the cell state runs along the top, the gates read the previous hidden state and the input at the bottom</title>
        <desc id={`${id}-desc`}>{all}</desc>
        <defs>
          <marker id={`${id}-arrow`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="14" markerHeight="14" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" class="cd-arrowhead" />
          </marker>
        </defs>
        <rect class="cd-frame" x={110} y={20} width={480} height={250} rx={16} />
        {/* wires: concat of h_{t-1} and x_t along the bottom, up into each gate */}
        <g class="cd-wires" marker-end={`url(#${id}-arrow)`}>
          <path d="M 20 240 H 470" marker-end="none" />
          <path d="M 150 300 V 240" marker-end="none" />
          <path d="M 200 240 V 188" />
          <path d="M 290 240 V 188" />
          <path d="M 370 240 V 188" />
          <path d="M 470 240 V 188" />
          <path d="M 200 152 V 76" />
          <path d="M 290 152 L 322 121" />
          <path d="M 370 152 L 338 121" />
          <path d="M 330 96 V 76" />
          <path d="M 540 60 V 96" />
          <path d="M 540 128 V 161" />
          <path d="M 470 152 V 175 H 524" />
          <path d="M 540 188 V 240 H 626" />
        </g>
        <Part part="c" info={LSTM_PARTS.c} {...common}>
          <path class="cd-belt" d="M 20 60 H 626" marker-end={`url(#${id}-arrow)`} />
          <Label x={22} y={46} base="c" sub="t−1" value={values.cPrev} anchor="start" />
          <Label x={626} y={46} base="c" sub="t" value={values.c} anchor="end" />
        </Part>
        <Node x={200} y={60} op="×" />
        <Node x={330} y={60} op="+" />
        <Node x={330} y={110} op="×" />
        <Part part="f" info={LSTM_PARTS.f} {...common}><GateBox x={200} y={170} label="σ" letter="f" value={values.f} /></Part>
        <Part part="i" info={LSTM_PARTS.i} {...common}><GateBox x={290} y={170} label="σ" letter="i" value={values.i} /></Part>
        <Part part="g" info={LSTM_PARTS.g} {...common}><GateBox x={370} y={170} label="tanh" letter="g" value={values.g} wide /></Part>
        <Part part="o" info={LSTM_PARTS.o} {...common}><GateBox x={470} y={170} label="σ" letter="o" value={values.o} /></Part>
        <Part part="h" info={LSTM_PARTS.h} {...common}>
          <ellipse class="cd-box" cx={540} cy={112} rx={30} ry={16} />
          <text class="cd-op" x={540} y={117}>tanh</text>
          <circle class="cd-node" cx={540} cy={175} r={13} />
          <text class="cd-nodeop" x={540} y={180}>×</text>
          <Label x={626} y={228} base="h" sub="t" value={values.h} anchor="end" />
        </Part>
        <Label x={22} y={228} base="h" sub="t−1" value={values.hPrev} anchor="start" />
        <Label x={160} y={296} base="x" sub="t" value={values.x} anchor="start" />
      </svg>
      <Caption id={captionId} info={LSTM_PARTS[active]} value={values[active]} valueLabel="at this step:" />
    </figure>
  );
}
