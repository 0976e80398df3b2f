// Draw a digit and see the Vision Transformer read it: a 32×32 pad, the 8×8 image the drawing
// becomes (as the data set's images were made), the [CLS] token's attention over the 16 patches
// drawn over that image, and the class probabilities. The model is the small ViT of the chapter,
// trained by scripts/models/train-vit-digits.ts; it runs here on the engine, on the main thread
// (17 tokens, about ten thousand parameters: a forward pass takes milliseconds).
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { WidgetProps } from '../../embed/registry.ts';
import { PAD, blankPad, stroke, strokesToDigit, type Stroke } from './draw.ts';
import { EXAMPLES, HEADS, type DrawDigitState } from './state.ts';
import { SIDE, decodePixels, encodePixels, fromWeights, headView, predict, type DigitViT, type Prediction, type ViTWeights } from './vit.ts';
import './draw-digit.css';

let sharedModel: Promise<DigitViT> | null = null;
function loadModel(): Promise<DigitViT> {
  const base = (import.meta as { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/';
  const url = `${base.replace(/\/$/, '')}/models/vit-digits/weights.json`;
  sharedModel ??= fetch(url)
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`could not load ${url} (HTTP ${r.status})`))))
    .then((w: ViTWeights) => fromWeights(w));
  sharedModel.catch(() => (sharedModel = null));
  return sharedModel;
}

const pct = (p: number) => `${Math.round(100 * p)} %`;

export default function DrawDigit({ state, onStateChange, layout }: WidgetProps<DrawDigitState>) {
  const id = useId();
  const [model, setModel] = useState<DigitViT | null>(null);
  const [pred, setPred] = useState<(Prediction & { img: string }) | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const pad = useRef(blankPad());
  const [, setInk] = useState(0); // bumped to redraw the pad
  const last = useRef<[number, number] | null>(null);
  const strokes = useRef<Stroke[]>([]);
  const svg = useRef<SVGSVGElement>(null);

  useEffect(() => {
    loadModel().then(setModel, (e: unknown) => setFailure(String(e)));
  }, []);

  const pixels = decodePixels(state.img) ?? decodePixels(EXAMPLES[0]!)!;
  useEffect(() => {
    if (!model) return;
    let current = true;
    predict(model, pixels).then(
      (p) => current && setPred({ ...p, img: state.img }),
      (e: unknown) => current && setFailure(String(e)),
    );
    return () => {
      current = false;
    };
  }, [model, state.img]);

  const at = (e: PointerEvent): [number, number] => {
    const r = svg.current!.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * PAD, ((e.clientY - r.top) / r.height) * PAD];
  };
  const onDown = (e: PointerEvent) => {
    e.preventDefault();
    svg.current?.setPointerCapture(e.pointerId);
    const p = at(e);
    stroke(pad.current, p[0], p[1], p[0], p[1], 1.2);
    strokes.current.push([p]);
    last.current = p;
    setInk((n) => n + 1);
  };
  const onMove = (e: PointerEvent) => {
    if (!last.current) return;
    const p = at(e);
    stroke(pad.current, last.current[0], last.current[1], p[0], p[1], 1.2);
    strokes.current.at(-1)?.push(p);
    last.current = p;
    setInk((n) => n + 1);
  };
  const onUp = () => {
    if (!last.current) return;
    last.current = null;
    onStateChange({ ...state, img: encodePixels(strokesToDigit(strokes.current)) });
  };
  const clear = () => {
    pad.current = blankPad();
    strokes.current = [];
    setInk((n) => n + 1);
  };
  const example = (k: number) => {
    clear();
    onStateChange({ ...state, img: EXAMPLES[k]! });
  };

  const ready = !!(pred && pred.img === state.img);
  const attention = ready ? headView(pred.clsAttention, state.head) : null;
  const self = ready ? (state.head === 0 ? pred.clsSelf.reduce((a, b) => a + b, 0) / HEADS : pred.clsSelf[state.head - 1]!) : 0;
  const best = ready ? pred.probs.indexOf(Math.max(...pred.probs)) : -1;
  const maxAtt = attention ? Math.max(...attention) : 1;
  const grid = SIDE / 2; // 4 × 4 patches of 2 × 2 pixels
  const headName = state.head === 0 ? 'the mean of the four heads' : `head ${state.head}`;
  const ink: number[] = [];
  pad.current.forEach((v, i) => v && ink.push(i));

  return (
    <div class={`dd-widget dd-${layout}`} data-ready={ready ? 'true' : 'false'} data-prediction={ready ? best : ''} data-img={state.img} data-head={state.head}>
      <div class="dd-panels">
        <figure class="dd-panel">
          <figcaption id={`${id}-pad`}>Draw a digit here</figcaption>
          <svg
            ref={svg}
            class="dd-pad"
            viewBox={`0 0 ${PAD} ${PAD}`}
            role="img"
            aria-labelledby={`${id}-pad`}
            aria-describedby={`${id}-pad-help`}
            onPointerDown={onDown}
            onPointerMove={onMove}
            onPointerUp={onUp}
            onPointerCancel={onUp}
          >
            <rect x="0" y="0" width={PAD} height={PAD} class="dd-pad-bg" />
            {ink.map((i) => <rect x={i % PAD} y={Math.floor(i / PAD)} width="1.02" height="1.02" class="dd-ink" />)}
          </svg>
          <p id={`${id}-pad-help`} class="dd-help">Drag with a mouse, pen or finger; the pad keeps adding ink until you clear it. Or pick an example:</p>
          <div class="dd-buttons">
            <button type="button" class="dd-button" onClick={clear}>Clear</button>
            {EXAMPLES.map((_, k) => (
              <button type="button" class="dd-button dd-example" aria-pressed={state.img === EXAMPLES[k] ? 'true' : 'false'} aria-label={`Example ${k}`} onClick={() => example(k)}>{k}</button>
            ))}
          </div>
        </figure>

        <figure class="dd-panel">
          <figcaption id={`${id}-seen`}>What the model reads, and where [CLS] looks</figcaption>
          <svg class="dd-seen" viewBox={`0 0 ${SIDE} ${SIDE}`} role="img" aria-labelledby={`${id}-seen`} aria-describedby={`${id}-seen-desc`}>
            {pixels.map((v, i) => (
              <rect x={i % SIDE} y={Math.floor(i / SIDE)} width="1" height="1" class="dd-pixel" style={`fill-opacity: ${(0.04 + 0.96 * v / 16).toFixed(2)}`} />
            ))}
            {attention && attention.map((w, j) => (
              <g>
                <rect x={2 * (j % grid) + 0.06} y={2 * Math.floor(j / grid) + 0.06} width="1.88" height="1.88" rx="0.15" class="dd-att" style={`fill-opacity: ${(0.45 * w / maxAtt).toFixed(2)}; stroke-opacity: ${(w / maxAtt).toFixed(2)}`} />
                <text x={2 * (j % grid) + 1} y={2 * Math.floor(j / grid) + 1.12} class="dd-att-label">{Math.round(100 * w)}</text>
              </g>
            ))}
          </svg>
          <p id={`${id}-seen-desc`} class="dd-help">
            {attention
              ? `The 8×8 image cut into 16 patches; each patch is tinted by the share of [CLS]'s attention it gets from ${headName} in percent (a stronger tint means more). [CLS] keeps ${pct(self)} for itself.`
              : 'Loading the model…'}
          </p>
          <fieldset class="dd-heads">
            <legend>Attention of</legend>
            {Array.from({ length: HEADS + 1 }, (_, h) => (
              <label>
                <input type="radio" name={`${id}-head`} value={h} checked={state.head === h} onChange={() => onStateChange({ ...state, head: h })} />
                {h === 0 ? 'all heads' : `head ${h}`}
              </label>
            ))}
          </fieldset>
        </figure>

        <figure class="dd-panel">
          <figcaption>The model's answer</figcaption>
          {failure && <p class="dd-failure" role="alert">The widget could not load its model: {failure}</p>}
          <p class="dd-answer" aria-live="polite">{ready ? <>It reads a <strong>{best}</strong> ({pct(pred.probs[best]!)})</> : 'Loading the model…'}</p>
          <ol class="dd-probs" aria-label="Probability of each digit">
            {Array.from({ length: 10 }, (_, k) => {
              const p = ready ? pred.probs[k]! : 0;
              return (
                <li class={k === best ? 'dd-best' : ''}>
                  <span class="dd-digit">{k}</span>
                  <span class="dd-bar-track"><span class="dd-bar" style={`width: ${(100 * p).toFixed(1)}%`} /></span>
                  <span class="dd-p">{pct(p)}</span>
                </li>
              );
            })}
          </ol>
        </figure>
      </div>
    </div>
  );
}
