// The sinusoidal encoding explorer: sliders for the width d, the number of positions T and one
// position; the engine computes the encoding on the main thread (at most 256 × 128 values) and
// Observable Plot draws the whole matrix, the chosen position's vector and its dot product with
// every other position against the offset.
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { WidgetProps } from '../../embed/registry.ts';
import { LENGTHS, WIDTHS, explore, type Exploration } from './encoding.ts';
import { dotsFigure, matrixFigure, vectorFigure, type FigureSize } from './plots.ts';
import type { PositionalEncodingState } from './state.ts';
import './positional-encoding.css';

type Slot = 'matrix' | 'vector' | 'dots';
const SLOTS: Slot[] = ['matrix', 'vector', 'dots'];

export default function PositionalEncoding({ state, onStateChange, layout }: WidgetProps<PositionalEncodingState>) {
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const slots = { matrix: useRef<HTMLDivElement>(null), vector: useRef<HTMLDivElement>(null), dots: useRef<HTMLDivElement>(null) };
  const [sizes, setSizes] = useState<Record<Slot, FigureSize> | null>(null);
  const [result, setResult] = useState<Exploration | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const draws = useRef(0);

  // Measure the plot slots; in page layout a figure's height follows its width.
  useLayoutEffect(() => {
    const measure = () => {
      if (!root.current) return;
      const fontSize = parseFloat(getComputedStyle(root.current).fontSize) || 16;
      const next = {} as Record<Slot, FigureSize>;
      for (const s of SLOTS) {
        const el = slots[s].current;
        if (!el) return;
        next[s] = { width: el.clientWidth, height: layout === 'slide' ? el.clientHeight : Math.min(300, Math.round(el.clientWidth * 0.8)), fontSize };
      }
      setSizes((prev) => (prev && JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
    };
    measure();
    const observer = new ResizeObserver(measure);
    [root.current, ...SLOTS.map((s) => slots[s].current)].forEach((el) => el && observer.observe(el));
    return () => observer.disconnect();
  }, [layout]);

  useEffect(() => {
    let current = true;
    explore(state.d, state.T, state.pos).then(
      (r) => current && (setResult(r), setFailure(null)),
      (e: unknown) => current && setFailure(String(e)),
    );
    return () => {
      current = false;
    };
  }, [state.d, state.T, state.pos]);

  useEffect(() => {
    if (!result || !sizes) return;
    slots.matrix.current?.replaceChildren(matrixFigure(result, sizes.matrix));
    slots.vector.current?.replaceChildren(vectorFigure(result, sizes.vector));
    slots.dots.current?.replaceChildren(dotsFigure(result, sizes.dots));
    draws.current += 1;
    root.current?.setAttribute('data-draws', String(draws.current));
  }, [result, sizes]);

  const shown = result !== null && result.d === state.d && result.T === state.T && result.pos === state.pos;
  const setT = (T: number) => onStateChange({ ...state, T, pos: Math.min(state.pos, T - 1) });
  const slider = (key: string, label: string, value: number, max: number, text: string, onValue: (v: number) => void) => (
    <div class="pe-slider">
      <label for={`${id}-${key}`}>{label}</label>
      <input id={`${id}-${key}`} type="range" min={0} max={max} step={1} value={value} aria-valuetext={text} onInput={(e) => onValue(Number(e.currentTarget.value))} />
      <output for={`${id}-${key}`} class={`pe-readout pe-readout-${key}`}>{text}</output>
    </div>
  );

  return (
    <div ref={root} class={`pe-widget pe-${layout}`} data-d={state.d} data-t={state.T} data-pos={state.pos} data-ready={shown ? 'true' : 'false'}>
      <div class="pe-controls">
        {slider('d', 'Width d', Math.max(0, WIDTHS.indexOf(state.d)), WIDTHS.length - 1, `d = ${state.d}`, (i) => onStateChange({ ...state, d: WIDTHS[i] ?? state.d }))}
        {slider('t', 'Positions T', Math.max(0, LENGTHS.indexOf(state.T)), LENGTHS.length - 1, `T = ${state.T}`, (i) => setT(LENGTHS[i] ?? state.T))}
        {slider('pos', 'Position', state.pos, state.T - 1, `pos = ${state.pos}`, (pos) => onStateChange({ ...state, pos }))}
      </div>
      {failure && (
        <p class="pe-failure" role="alert">
          The widget could not compute: {failure}
        </p>
      )}
      <p class="pe-summary">
        {result
          ? `Pairs turn once every ${result.wavelengths[0]!.toFixed(1)} to ${Math.round(result.wavelengths.at(-1)!).toLocaleString('en')} positions; PE[${result.pos}] has length √(d/2) = ${Math.sqrt(result.d / 2).toFixed(2)}.`
          : 'Computing…'}
      </p>
      <div class="pe-figures">
        {SLOTS.map((s) => (
          <figure class={`pe-figure pe-figure-${s}`} key={s}>
            <figcaption id={`${id}-${s}-title`}>
              {s === 'matrix' ? 'The encoding, T × d' : s === 'vector' ? `The vector of position ${state.pos}` : 'Dot product with every position'}
            </figcaption>
            <div class="pe-plot" ref={slots[s]} role="group" aria-labelledby={`${id}-${s}-title`} />
          </figure>
        ))}
      </div>
    </div>
  );
}
