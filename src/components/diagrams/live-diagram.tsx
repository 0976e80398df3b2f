// The pieces every live diagram of the book is drawn with (the LSTM and GRU cells, the Transformer
// block): focusable parts that select themselves on hover, focus or click, gate boxes, labels,
// operator nodes, and the caption that shows the selected part's equation. Styles:
// live-diagram.css, imported by the page that shows a diagram (or @imported by a widget's
// stylesheet) rather than here: a stylesheet shared by a page island and a lazily loaded widget
// chunk is dropped from the build while the chunk still preloads it (a 404).
import type { ComponentChildren } from 'preact';

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
