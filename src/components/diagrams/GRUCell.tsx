// The GRU cell as a live SVG diagram, in PyTorch's form (gates r, z, n): point at a part to see its
// equation. Drawn with the pieces in live-diagram.tsx, like the LSTM cell.
import { useId, useState } from 'preact/hooks';
import { Caption, GateBox, Label, Node, Part, type PartInfo, type PartValues } from './live-diagram.tsx';

export const GRU_PARTS = {
  r: { name: 'Reset gate', equation: 'r_{t} = σ(x_{t} W_{xr}^{⊤} + b_{xr} + h_{t−1} W_{hr}^{⊤} + b_{hr})', meaning: 'How much of the old state the candidate may use. In PyTorch it multiplies h_{t−1} W_{hn}^{⊤} + b_{hn}, after the matrix.' },
  z: { name: 'Update gate', equation: 'z_{t} = σ(x_{t} W_{xz}^{⊤} + b_{xz} + h_{t−1} W_{hz}^{⊤} + b_{hz})', meaning: 'Keep or replace: z = 1 copies h_{t−1} forward unchanged, z = 0 takes the candidate.' },
  n: { name: 'Candidate', equation: 'n_{t} = tanh(x_{t} W_{xn}^{⊤} + b_{xn} + r_{t} ⊙ (h_{t−1} W_{hn}^{⊤} + b_{hn}))', meaning: 'The proposed new state, between −1 and 1.' },
  h: { name: 'Hidden state', equation: 'h_{t} = (1 − z_{t}) ⊙ n_{t} + z_{t} ⊙ h_{t−1}', meaning: 'A gated average of the old state and the candidate: the GRU’s conveyor belt, with no separate cell state.' },
} satisfies Record<string, PartInfo>;

export type GRUPart = keyof typeof GRU_PARTS;

export default function GRUCell({ values = {} }: { values?: PartValues<GRUPart> }) {
  const id = useId();
  const [active, setActive] = useState<GRUPart>('h');
  const captionId = `${id}-caption`;
  const common = { active, select: setActive, captionId };
  const all = Object.values(GRU_PARTS).map((p) => `${p.name}: ${p.equation.replace(/[_^]\{([^}]*)\}/g, '$1')}`).join('; ');
  return (
    <figure class="cd-figure not-content">
      <svg class="cd-svg" viewBox="0 0 640 310" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`}>
        <title id={`${id}-title`}>A GRU cell: the hidden state runs along the top, mixed with a candidate by the update gate</title>
        <desc id={`${id}-desc`}>{all}</desc>
        <defs>
          <marker id={`${id}-arrow`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="14" markerHeight="14" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" class="cd-arrowhead" />
          </marker>
        </defs>
        <rect class="cd-frame" x={110} y={20} width={480} height={250} rx={16} />
        <g class="cd-wires" marker-end={`url(#${id}-arrow)`}>
          <path d="M 60 60 V 240 H 450" marker-end="none" />
          <path d="M 150 300 V 240" marker-end="none" />
          <path d="M 200 240 V 188" />
          <path d="M 330 240 V 188" />
          <path d="M 450 240 V 188" />
          <path d="M 200 152 V 122 H 436 V 152" />
          <path d="M 330 152 V 74" />
          <path d="M 330 100 H 506" />
          <path d="M 482 170 H 520 V 114" />
          <path d="M 520 86 V 74" />
        </g>
        <Part part="h" info={GRU_PARTS.h} {...common}>
          <path class="cd-belt" d="M 20 60 H 626" marker-end={`url(#${id}-arrow)`} />
          <Label x={22} y={46} base="h" sub="t−1" value={values.hPrev} anchor="start" />
          <Label x={626} y={46} base="h" sub="t" value={values.h} anchor="end" />
        </Part>
        <Node x={330} y={60} op="×" />
        <Node x={520} y={60} op="+" />
        <Node x={520} y={100} op="×" />
        <Part part="r" info={GRU_PARTS.r} {...common}><GateBox x={200} y={170} label="σ" letter="r" value={values.r} /></Part>
        <Part part="z" info={GRU_PARTS.z} {...common}><GateBox x={330} y={170} label="σ" letter="z" value={values.z} /></Part>
        <Part part="n" info={GRU_PARTS.n} {...common}><GateBox x={450} y={170} label="tanh" letter="n" value={values.n} wide /></Part>
        <text class="cd-letter" x={420} y={92} text-anchor="middle">1 − z</text>
        <text class="cd-letter" x={342} y={92} text-anchor="start">z</text>
        <Label x={160} y={296} base="x" sub="t" value={values.x} anchor="start" />
      </svg>
      <Caption id={captionId} info={GRU_PARTS[active]} value={values[active]} valueLabel="at this step:" />
    </figure>
  );
}
