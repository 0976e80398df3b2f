// The self-attention explorer: tokens as points in the plane (drag them, or pick one and move it
// with the arrow keys), one head's Q, K, V and the T × T weight matrix, with a causal-mask toggle.
// Everything drawn here comes from attend() in explorer.ts, computed by the engine.
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { WidgetProps } from '../../embed/registry.ts';
import { COORD_MAX, HEADS, attend, clampCoord, strongest, tokenize, type AttentionResult, type Point } from './explorer.ts';
import { withText, type SelfAttentionState } from './state.ts';
import './self-attention.css';

const STEP = 0.1;
const VIEW = COORD_MAX + 0.25;
const fmt = (v: number): string => (Math.abs(v) < 0.005 ? '0.00' : v.toFixed(2));
/** "W^Q" → W<sup>Q</sup> in a head's description. */
const withSups = (text: string) => text.split(/W\^([QKVO])/).map((part, i) => (i % 2 ? <>W<sup>{part}</sup></> : part));
const vec = (p: readonly number[] | undefined): string => (p ? `(${fmt(p[0]!)}, ${fmt(p[1]!)})` : '');

export default function SelfAttentionExplorer({ state, onStateChange, layout }: WidgetProps<SelfAttentionState>) {
  const id = useId();
  const tokens = tokenize(state.text);
  const head = HEADS[state.head] ?? HEADS[0]!;
  const [result, setResult] = useState<AttentionResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [draft, setDraft] = useState(state.text);
  const dragging = useRef<number | null>(null);
  const svg = useRef<SVGSVGElement>(null);

  useEffect(() => setDraft(state.text), [state.text]);

  // Recompute on every change; a result that arrives after a newer request started is dropped.
  useEffect(() => {
    let current = true;
    attend(state.emb, head, state.causal).then(
      (r) => {
        if (!current) return;
        setResult(r);
        setFailure(null);
      },
      (e: unknown) => current && setFailure(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      current = false;
    };
  }, [state.emb, head, state.causal]);

  const set = (patch: Partial<SelfAttentionState>): void => onStateChange({ ...state, ...patch });
  const move = (i: number, p: Point): void => {
    const emb = state.emb.map((q, j) => (j === i ? ([clampCoord(p[0]), clampCoord(p[1])] as Point) : q));
    set({ emb, query: i });
  };

  const onKey = (e: KeyboardEvent): void => {
    const d: Record<string, Point> = { ArrowLeft: [-STEP, 0], ArrowRight: [STEP, 0], ArrowUp: [0, STEP], ArrowDown: [0, -STEP] };
    const delta = d[e.key];
    if (!delta || tokens.length === 0) return;
    e.preventDefault();
    const p = state.emb[state.query]!;
    move(state.query, [p[0] + delta[0], p[1] + delta[1]]);
  };

  const toPlane = (e: PointerEvent): Point | null => {
    const el = svg.current;
    const ctm = el?.getScreenCTM();
    if (!el || !ctm) return null;
    const pt = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
    return [pt.x, -pt.y];
  };

  const q = Math.min(state.query, tokens.length - 1);
  const ready = result !== null && result.weights.length === tokens.length;
  const row = ready ? result.weights[q]! : [];
  const top = ready ? strongest(row) : 0;
  const summary = ready && tokens.length > 0
    ? `“${tokens[q]}” attends most to “${tokens[top]}” (${fmt(row[top]!)})${state.causal && q === 0 ? ' — the first token can only see itself' : ''}.`
    : '';

  return (
    <div
      class={`sa-widget sa-${layout}`}
      data-ready={ready ? 'true' : 'false'}
      data-head={state.head + 1}
      data-causal={state.causal ? '1' : '0'}
      data-query={q}
      data-row={ready ? row.map(fmt).join(' ') : ''}
    >
      <div class="sa-controls">
        <label class="sa-text">
          Sentence
          <input
            type="text"
            value={draft}
            maxLength={120}
            onInput={(e) => {
              const text = e.currentTarget.value;
              setDraft(text);
              if (tokenize(text).length > 0) onStateChange(withText(state, text));
            }}
          />
        </label>
        <fieldset class="sa-heads">
          <legend>Head</legend>
          {HEADS.map((h, i) => (
            <label key={h.name}>
              <input type="radio" name={`${id}-head`} checked={state.head === i} onChange={() => set({ head: i })} />
              {h.name}
            </label>
          ))}
        </fieldset>
        <label class="sa-causal">
          <input type="checkbox" checked={state.causal} onChange={(e) => set({ causal: e.currentTarget.checked })} />
          Causal mask
        </label>
      </div>
      <div class="sa-tokens" role="group" aria-label="Query token">
        <span class="sa-tokens-label" aria-hidden="true">Query:</span>
        {tokens.map((t, i) => (
          <button type="button" key={`${i}-${t}`} class="sa-token" aria-pressed={i === q} onClick={() => set({ query: i })}>
            {t}
          </button>
        ))}
      </div>
      <p class="sa-summary" aria-live="polite">{summary || '\u00a0'}</p>
      {failure && <p class="sa-failure" role="alert">The widget could not compute: {failure}</p>}
      <div class="sa-panes">
        <figure class="sa-pane">
          <figcaption>Embeddings X (drag a token, or arrow keys). Lines: the weights of “{tokens[q]}”; ◇ z: its output</figcaption>
          <div
            class="sa-plane"
            tabIndex={0}
            role="group"
            aria-label={`Embedding plane. Arrow keys move “${tokens[q] ?? ''}”, now at ${vec(state.emb[q])}.`}
            onKeyDown={onKey}
          >
            <svg
              ref={svg}
              viewBox={`${-VIEW} ${-VIEW} ${2 * VIEW} ${2 * VIEW}`}
              aria-hidden="true"
              onPointerMove={(e) => {
                if (dragging.current === null) return;
                const p = toPlane(e);
                if (p) move(dragging.current, p);
              }}
              onPointerUp={() => (dragging.current = null)}
              onPointerLeave={() => (dragging.current = null)}
            >
              <line x1={-VIEW} x2={VIEW} y1={0} y2={0} class="sa-axis" />
              <line y1={-VIEW} y2={VIEW} x1={0} x2={0} class="sa-axis" />
              {ready && tokens.map((_, j) => {
                const a = state.emb[q]!, b = state.emb[j]!;
                return row[j]! > 0.005 && j !== q ? (
                  <line key={`w${j}`} x1={a[0]} y1={-a[1]} x2={b[0]} y2={-b[1]} class="sa-link" style={{ strokeWidth: 0.02 + 0.12 * row[j]!, opacity: 0.25 + 0.75 * row[j]! }} />
                ) : null;
              })}
              {ready && result.Z[q] && (
                <g class="sa-z">
                  <rect x={result.Z[q]![0]! - 0.05} y={-result.Z[q]![1]! - 0.05} width={0.1} height={0.1} transform={`rotate(45 ${result.Z[q]![0]} ${-result.Z[q]![1]!})`} />
                  <text x={result.Z[q]![0]! + 0.09} y={-result.Z[q]![1]! + 0.04}>z</text>
                </g>
              )}
              {tokens.map((t, i) => {
                const p = state.emb[i]!;
                return (
                  <g
                    key={`p${i}`}
                    class={`sa-point${i === q ? ' is-query' : ''}`}
                    onPointerDown={(e) => {
                      dragging.current = i;
                      (e.currentTarget as Element).closest('svg')?.setPointerCapture?.(e.pointerId);
                      set({ query: i });
                    }}
                  >
                    <circle cx={p[0]} cy={-p[1]} r={i === q ? 0.085 : 0.065} style={ready && i !== q ? { opacity: 0.35 + 0.65 * Math.min(1, row[i]! * 2) } : undefined} />
                    <text x={p[0] + 0.1} y={-p[1] - 0.08}>{t}</text>
                  </g>
                );
              })}
            </svg>
          </div>
        </figure>
        <figure class="sa-pane">
          <figcaption>Weights A = softmax(QKᵀ/√d<sub>k</sub>{state.causal ? ' + mask' : ''}): row = query, column = key</figcaption>
          <table class="sa-matrix">
            <thead>
              <tr>
                <th scope="col"><span class="sa-sr">query \ key</span></th>
                {tokens.map((t, j) => <th scope="col" key={`c${j}`}>{t}</th>)}
              </tr>
            </thead>
            <tbody>
              {ready && result.weights.map((r, i) => (
                <tr key={`r${i}`} class={i === q ? 'is-query' : undefined} onClick={() => set({ query: i })}>
                  <th scope="row">{tokens[i]}</th>
                  {r.map((w, j) => {
                    const masked = state.causal && j > i;
                    return (
                      <td key={`c${j}`} class={masked ? 'is-masked' : undefined} style={masked ? undefined : { '--w': String(w) }}>
                        {masked ? '–' : fmt(w)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          <table class="sa-vectors">
            <caption>{head.name}: {withSups(head.description)}</caption>
            <thead>
              <tr><th scope="col">token</th><th scope="col">x</th><th scope="col">q = xW<sup>Q</sup></th><th scope="col">k = xW<sup>K</sup></th><th scope="col">v = xW<sup>V</sup></th></tr>
            </thead>
            <tbody>
              {ready && tokens.map((t, i) => (
                <tr key={`v${i}`} class={i === q ? 'is-query' : undefined}>
                  <th scope="row">{t}</th>
                  <td>{vec(state.emb[i])}</td>
                  <td>{vec(result.Q[i])}</td>
                  <td>{vec(result.K[i])}</td>
                  <td>{vec(result.V[i])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </figure>
      </div>
    </div>
  );
}
