// The LSTM cell as a live SVG diagram: point at (hover or focus) a gate, the belt or the output
// and its equation appears under the figure, with its value when the host passes activations
// (the lstm-gates widget does). GRUCell.tsx reuses the pieces exported here. Styles: LSTMCell.css,
// imported by the page that shows the diagram (or @imported by a widget's stylesheet) rather than
// here: a stylesheet shared by a page island and a lazily loaded widget chunk is dropped from the
// build while the chunk still preloads it (a 404).
import type { ComponentChildren } from 'preact';
import { useId, useState } from 'preact/hooks';

/** Writes a_{t} and W^{⊤} as HTML sub/superscripts: enough math for a caption, no KaTeX at run time. */
export function MathText({ text }: { text: string }) {
  const parts: ComponentChildren[] = [];
  const re = /([_^])\{([^}]*)\}/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    parts.push(text.slice(last, m.index));
    parts.push(m[1] === '_' ? <sub>{m[2]}</sub> : <sup>{m[2]}</sup>);
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return <span class="cd-math">{parts}</span>;
}

export interface PartInfo {
  /** Name read out and shown above the equation. */
  name: string;
  equation: string;
  meaning: string;
}

export const LSTM_PARTS = {
  f: { name: 'Forget gate', equation: 'f_{t} = σ(x_{t} W_{xf}^{⊤} + h_{t−1} W_{hf}^{⊤} + b_{f})', meaning: 'How much of each entry of the old cell state c_{t−1} to keep: 1 keeps it, 0 wipes it.' },
  i: { name: 'Input gate', equation: 'i_{t} = σ(x_{t} W_{xi}^{⊤} + h_{t−1} W_{hi}^{⊤} + b_{i})', meaning: 'How much of the candidate to write onto the belt.' },
  g: { name: 'Candidate cell', equation: 'g_{t} = tanh(x_{t} W_{xg}^{⊤} + h_{t−1} W_{hg}^{⊤} + b_{g})', meaning: 'The new content proposed for the belt, between −1 and 1.' },
  o: { name: 'Output gate', equation: 'o_{t} = σ(x_{t} W_{xo}^{⊤} + h_{t−1} W_{ho}^{⊤} + b_{o})', meaning: 'How much of the (squashed) cell state to show as the hidden state.' },
  c: { name: 'Cell state (the belt)', equation: 'c_{t} = f_{t} ⊙ c_{t−1} + i_{t} ⊙ g_{t}', meaning: 'Scaled by the forget gate and added to — no matrix, no squashing — so gradients along it are multiplied only by f_{t}.' },
  h: { name: 'Hidden state', equation: 'h_{t} = o_{t} ⊙ tanh(c_{t})', meaning: 'What the next step, the next layer and the output head see.' },
} satisfies Record<string, PartInfo>;

export type LSTMPart = keyof typeof LSTM_PARTS;

/** Values of one step, for the labels and the caption (all optional). */
export type PartValues<K extends string> = Partial<Record<K | 'x' | 'hPrev' | 'cPrev', number>>;

export function fmt(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '' : v.toFixed(2);
}

/**
 * A focusable part of the diagram: hover, focus or click selects it and the caption shows its
 * equation. Named as an image (role="img"): a button's name would have to repeat its visible
 * glyphs (σ, tanh), which say nothing to a listener.
 */
export function Part<K extends string>(props: {
  part: K;
  info: PartInfo;
  active: K;
  select: (k: K) => void;
  captionId: string;
  children: ComponentChildren;
}) {
  const { part, info, active, select, captionId, children } = props;
  return (
    <g
      class={`cd-part${active === part ? ' cd-active' : ''}`}
      data-part={part}
      tabIndex={0}
      role="img"
      aria-label={`${info.name}${active === part ? ' (selected)' : ''}`}
      aria-describedby={captionId}
      onMouseEnter={() => select(part)}
      onFocus={() => select(part)}
      onClick={() => select(part)}
    >
      {children}
    </g>
  );
}

/** Box with a label (σ, tanh) and, below it, the part's letter and value. */
export function GateBox(props: { x: number; y: number; label: string; letter: string; value?: number; wide?: boolean }) {
  const w = props.wide ? 64 : 52;
  return (
    <>
      <rect class="cd-box" x={props.x - w / 2} y={props.y - 18} width={w} height={36} rx={6} />
      <text class="cd-op" x={props.x} y={props.y + 6}>{props.label}</text>
      <text class="cd-letter" x={props.x + 6} y={props.y + 38} text-anchor="start">
        {props.letter}
        {props.value !== undefined ? ` = ${fmt(props.value)}` : ''}
      </text>
    </>
  );
}

/** An SVG label such as c_{t−1} = 0.42, with a real subscript. */
export function Label(props: { x: number; y: number; base: string; sub: string; value?: number; anchor?: 'start' | 'end' | 'middle' }) {
  return (
    <text class="cd-label" x={props.x} y={props.y} text-anchor={props.anchor ?? 'middle'}>
      {props.base}
      <tspan class="cd-sub" dy="5">{props.sub}</tspan>
      <tspan dy="-5">{props.value !== undefined && Number.isFinite(props.value) ? ` = ${fmt(props.value)}` : ''}</tspan>
    </text>
  );
}

export function Node(props: { x: number; y: number; op: string }) {
  return (
    <>
      <circle class="cd-node" cx={props.x} cy={props.y} r={13} />
      <text class="cd-nodeop" x={props.x} y={props.y + 5}>{props.op}</text>
    </>
  );
}

/** The caption under a diagram: the selected part's name, equation, meaning and value. */
export function Caption(props: { id: string; info: PartInfo; value?: number; valueLabel?: string }) {
  return (
    <figcaption id={props.id} class="cd-caption" aria-live="polite">
      <strong>{props.info.name}</strong>
      {props.value !== undefined && Number.isFinite(props.value) ? <span class="cd-value"> — {props.valueLabel ?? 'value'} {fmt(props.value)}</span> : null}
      <span class="cd-eq"><MathText text={props.info.equation} /></span>
      <span class="cd-meaning"><MathText text={props.info.meaning} /></span>
    </figcaption>
  );
}

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
