// A recurrent cell unrolled in time, as SVG: one box per step, x_t entering from below, the
// state h_t leaving upward and passing right to the next step. It is a plain Preact component
// with no hooks, so an .astro or .mdx page can render it statically (no client directive) and an
// island can redraw it as state changes (UnrollStepper, the gradient widget). Any recurrent cell
// fits: pass cellLabel="LSTM" or "GRU". Colours are CSS variables (UnrolledRNN.css), so the
// figure follows the light and dark themes.
import './UnrolledRNN.css';

export interface UnrolledRNNProps {
  /** Number of time steps drawn, t = 1 … steps (1 to 100). */
  steps: number;
  /** Text inside each cell box: 'RNN', 'LSTM', 'GRU', 'tanh'… */
  cellLabel?: string;
  /** Letter of the inputs (x_t) and of the state passed along (h_t). */
  inputName?: string;
  stateName?: string;
  /**
   * The step being computed (1-based). Steps before it are drawn as done, later ones faded,
   * so moving it walks through time. Leave it out to draw every step alike.
   */
  highlight?: number | null;
  /** One number per step (e.g. h_t of a 1-unit RNN, or ‖∂L/∂h_t‖), drawn as a bar over each cell. */
  values?: readonly number[];
  /** What the values are, for the figure's text alternative and its key ("‖∂L/∂hₜ‖"). */
  valueLabel?: string;
  /** 'log' for values that span many powers of ten (gradient norms); default 'linear'. */
  valueScale?: 'linear' | 'log';
  /** The accessible name; a description of the drawing is generated from the props. */
  title?: string;
  /** An id prefix, unique on the page, for the <title>/<desc> references. */
  id?: string;
  class?: string;
}

const SUBSCRIPT: Record<string, string> = Object.fromEntries(
  [...'0123456789t+-−'].map((c, i) => [c, '₀₁₂₃₄₅₆₇₈₉ₜ₊₋₋'[i]!]),
);
/** An index as subscript characters: 12 → '₁₂', 't−1' → 'ₜ₋₁' (other characters unchanged). */
export function subscript(t: number | string): string {
  return [...String(t)].map((c) => SUBSCRIPT[c] ?? c).join('');
}

/** Bar heights in [0, 1] for the values: linear from 0 to the largest |value|, or log over the values' decades. */
export function barHeights(values: readonly number[], scale: 'linear' | 'log'): number[] {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return values.map(() => 0);
  if (scale === 'log') {
    const logs = finite.filter((v) => v > 0).map(Math.log10);
    if (logs.length === 0) return values.map(() => 0);
    const lo = Math.min(...logs);
    const hi = Math.max(...logs);
    // Always at least one decade tall, so values that barely differ do not look like extremes.
    const span = Math.max(1, hi - lo);
    return values.map((v) => (v > 0 && Number.isFinite(v) ? 0.06 + (0.94 * (Math.log10(v) - (hi - span))) / span : 0));
  }
  const top = Math.max(...finite.map(Math.abs));
  return values.map((v) => (Number.isFinite(v) && top > 0 ? Math.abs(v) / top : 0));
}

function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 0.01 || a >= 1000) ? v.toExponential(1) : v.toFixed(2);
}

export default function UnrolledRNN(props: UnrolledRNNProps) {
  const {
    cellLabel = 'RNN',
    inputName = 'x',
    stateName = 'h',
    highlight = null,
    values,
    valueLabel = 'value',
    valueScale = 'linear',
    id = 'unrolled-rnn',
  } = props;
  const steps = Math.max(1, Math.min(100, Math.floor(props.steps)));
  const compact = steps > 10;
  const hasValues = values !== undefined && values.length > 0;
  // Geometry (SVG user units; the drawing scales to its container's width).
  // Compact drawings keep about 700 units wide however many steps, so their text stays legible.
  const pitch = compact ? Math.min(30, 660 / steps) : 104;
  const cellW = compact ? pitch * 0.7 : 64;
  const gap = pitch - cellW;
  const left = compact ? 40 : 58;
  const barTop = 8;
  const barH = hasValues ? (compact ? 70 : 54) : 0;
  const outTop = barTop + barH + (hasValues ? 10 : 0);
  const cellTop = outTop + (compact ? 26 : 44);
  const cellH = compact ? 30 : 44;
  const inBottom = cellTop + cellH + (compact ? 26 : 44);
  const height = inBottom + (compact ? 20 : 24);
  const width = left + steps * pitch + 16;
  const cx = (t: number) => left + (t - 1) * pitch + cellW / 2; // centre of step t's box
  const label = (t: number) => compact ? t === 1 || t === steps || t % 10 === 0 : true;
  const heights = hasValues ? barHeights(values, valueScale) : [];
  const state = (t: number): 'done' | 'active' | 'future' | 'plain' =>
    highlight === null ? 'plain' : t < highlight ? 'done' : t === highlight ? 'active' : 'future';

  const title = props.title ?? `A recurrent network unrolled over ${steps} time steps`;
  const desc = [
    `${steps} copies of the same ${cellLabel} cell, one per time step, left to right, sharing one set of weights.`,
    `Cell t reads the input ${inputName}${subscript('t')} from below and the state ${stateName}${subscript('t−1')} from the cell on its left, and passes ${stateName}${subscript('t')} up and to the right; ${stateName}${subscript(0)} enters the first cell.`,
    highlight !== null ? `Step ${highlight} is being computed; steps before it are done.` : '',
    hasValues
      ? `Bars over the cells show ${valueLabel}: ${values
          .map((v, i) => `step ${i + 1}: ${formatValue(v)}`)
          .filter((_, i) => steps <= 12 || i === 0 || i === steps - 1 || (i + 1) % 10 === 0)
          .join(', ')}.`
      : '',
  ].filter(Boolean).join(' ');

  return (
    <figure class={`unrolled-rnn not-content${props.class ? ` ${props.class}` : ''}`} data-steps={steps} data-highlight={highlight ?? ''}>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} preserveAspectRatio="xMidYMid meet">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{desc}</desc>
        <defs>
          <marker id={`${id}-arrow`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth={compact ? 5 : 6} markerHeight={compact ? 5 : 6} orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" class="ur-arrowhead" />
          </marker>
        </defs>

        {/* h_0 enters the first cell */}
        <text x={compact ? 4 : 8} y={cellTop + cellH / 2 + 5} class="ur-label ur-state-label">{`${stateName}${subscript(0)}`}</text>
        <line x1={compact ? 24 : 32} y1={cellTop + cellH / 2} x2={left - 2} y2={cellTop + cellH / 2} class="ur-line" marker-end={`url(#${id}-arrow)`} />

        {compact && <line x1={left} y1={cellTop + cellH / 2} x2={cx(steps)} y2={cellTop + cellH / 2} class="ur-line ur-recurrent" />}
        {Array.from({ length: steps }, (_, i) => {
          const t = i + 1;
          const x = cx(t);
          const s = state(t);
          return (
            <g class={`ur-step ur-${s}`} data-step={t} key={t}>
              {hasValues && (
                <rect
                  class="ur-bar"
                  x={x - cellW * 0.32}
                  width={cellW * 0.64}
                  y={barTop + barH * (1 - heights[i]!)}
                  height={barH * heights[i]!}
                />
              )}
              {hasValues && !compact && (
                <text x={x} y={outTop - 1} class="ur-value">{formatValue(values[i]!)}</text>
              )}
              {/* output h_t, upward */}
              <line x1={x} y1={cellTop - 2} x2={x} y2={outTop + (compact ? 4 : 18)} class="ur-line" marker-end={compact ? undefined : `url(#${id}-arrow)`} />
              {!compact && <text x={x} y={outTop + 12} class="ur-label">{`${stateName}${subscript(t)}`}</text>}
              {/* the cell */}
              <rect x={x - cellW / 2} y={cellTop} width={cellW} height={cellH} rx={compact ? 4 : 8} class="ur-cell" />
              {!compact && <text x={x} y={cellTop + cellH / 2 + 5} class="ur-cell-label">{cellLabel}</text>}
              {/* input x_t, from below */}
              <line x1={x} y1={inBottom - (compact ? 4 : 18)} x2={x} y2={cellTop + cellH + 2} class="ur-line" marker-end={compact ? undefined : `url(#${id}-arrow)`} />
              {label(t) && (
                <text x={x} y={inBottom + (compact ? 10 : 4)} class="ur-label">{compact ? String(t) : `${inputName}${subscript(t)}`}</text>
              )}
              {/* the state passed to the next step */}
              {t < steps && !compact && (
                <line x1={x + cellW / 2 + 2} y1={cellTop + cellH / 2} x2={x + cellW / 2 + gap - 3} y2={cellTop + cellH / 2} class="ur-line ur-recurrent" marker-end={`url(#${id}-arrow)`} />
              )}
            </g>
          );
        })}
        {compact && <text x={left + (steps * pitch) / 2} y={height - 1} class="ur-label ur-axis">time step t</text>}
      </svg>
      {hasValues && <figcaption class="ur-key">Bars: {valueLabel}{valueScale === 'log' ? ' (log scale)' : ''}</figcaption>}
    </figure>
  );
}
