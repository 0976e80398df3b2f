// t5-mini in the page (onnxruntime-web): pick a task prefix, type, and watch the decoder write its
// answer token by token, with the cross-attention of every step it has taken so far. For span
// corruption the widget corrupts your sentence the way T5's training does and puts the model's
// spans back into the gaps.
import { useEffect, useId, useState } from 'preact/hooks';
import type { WidgetProps } from '../../embed/registry.ts';
import { ModelStatus } from '../../models/ModelStatus.tsx';
import { PlotFigure } from '../../models/PlotFigure.tsx';
import { heatmap, layerWeights } from '../../models/heatmap.ts';
import { LayerHeadSelect } from '../../models/LayerHeadSelect.tsx';
import { useModel } from '../../models/use-model.ts';
import type { Seq2SeqRunner } from '../../../runtime/models/seq2seq.ts';
import { decodeSteps, type DecodeStep } from './generate.ts';
import { corrupt, fillSpans, hasSentinel, spansOf } from './span-corruption.ts';
import { EXAMPLE, MAX_TEXT, PREFIX, TASK_LABEL, TASKS, type T5State, type T5Task } from './state.ts';
import '../../models/models.css';
import './t5.css';

const MODEL = 't5-mini';
/** Pause between tokens, so the output visibly grows (none for readers who ask for less motion). */
const STEP_MS = 70;

function reducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** The model's input for a task: the corrupted sentence (or your own sentinels), or prefix + text. */
export function modelInput(task: T5Task, text: string, seed: number): { source: string; target: string | null } {
  const t = text.trim();
  if (task !== 'span') return { source: PREFIX[task] + t, target: null };
  if (hasSentinel(t)) return { source: t, target: null };
  const c = corrupt(t, seed);
  return { source: c.input, target: c.target };
}

/** Characters the model cannot read, listed once each. */
function unknownChars(runner: Seq2SeqRunner, s: string): string[] {
  const bad = new Set<string>();
  for (const ch of s.replace(/<X\d+>/g, '')) if (runner.tokenizer.tokenToId(ch) === undefined) bad.add(ch);
  return [...bad];
}

export default function T5Widget({ state, onStateChange, layout }: WidgetProps<T5State>) {
  const id = useId();
  const m = useModel<Seq2SeqRunner>(MODEL);
  const runner = m.model?.runner;
  const [step, setStep] = useState<DecodeStep | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [run, setRun] = useState(0);
  const set = (patch: Partial<T5State>): void => onStateChange({ ...state, ...patch });
  const { source, target } = modelInput(state.task, state.text, state.seed);

  useEffect(() => {
    setStep(null);
    setError(null);
    if (!runner) return;
    const bad = unknownChars(runner, source);
    if (bad.length) {
      setError(`${MODEL} reads ASCII letters, digits, spaces and , . - ' ; $ " : ? ( ) ! / % & only: remove ${bad.map((c) => `“${c}”`).join(' ')}`);
      return;
    }
    if (source.trim() === PREFIX[state.task].trim() || source.trim() === '') {
      setError('Type something for the model to read.');
      return;
    }
    let live = true;
    const pause = reducedMotion() ? 0 : STEP_MS;
    (async () => {
      try {
        for await (const s of decodeSteps(runner, source, runner.config.outputLength)) {
          if (!live) return;
          setStep(s);
          if (!s.done && pause) await new Promise((r) => setTimeout(r, pause));
        }
      } catch (err) {
        if (live) setError((err as Error).message);
      }
    })();
    return () => {
      live = false;
    };
  }, [runner, source, run]);

  const layers = step?.cross.layers ?? 2;
  const heads = step?.cross.heads ?? 4;
  const output = step ? step.outTokens.join('') : '';
  const rowLabels = step ? [...step.outTokens, ...(step.stopped ? ['[EOS]'] : [])] : [];
  const width = layout === 'slide' ? 900 : 640;
  const selectTask = (task: T5Task): void => {
    if (task !== state.task) set({ task, text: EXAMPLE[task] });
  };

  return (
    <div
      class={`model-widget t5-widget${layout === 'slide' ? ' t5-slide' : ''}`}
      data-widget-ready={step?.done ? 'true' : undefined}
      data-output={step?.done ? output : undefined}
    >
      <ModelStatus name={MODEL} state={m} />
      <div class="t5-tasks" role="group" aria-label="Task prefix">
        {TASKS.map((t) => (
          <button type="button" aria-pressed={state.task === t} onClick={() => selectTask(t)} key={t}>
            {TASK_LABEL[t]}
          </button>
        ))}
      </div>
      <label class="model-field" for={`${id}-text`}>
        {state.task === 'span' ? 'A sentence (or your own gaps, written <X0>, <X1>, …)' : state.task === 'date' ? 'A date, written any way' : 'A short phrase (up to 20 characters)'}
        <input id={`${id}-text`} type="text" value={state.text} maxLength={MAX_TEXT} onInput={(e) => set({ text: e.currentTarget.value })} />
      </label>
      <div class="model-buttons">
        {state.task === 'span' && !hasSentinel(state.text) && (
          <button type="button" onClick={() => set({ seed: state.seed + 1 })}>
            Drop other words
          </button>
        )}
        <button type="button" onClick={() => setRun((r) => r + 1)} disabled={!step?.done}>
          Write it again
        </button>
      </div>
      <p class="t5-line">
        <span class="t5-tag">encoder reads</span> <code data-testid="t5-source">{source}</code>
      </p>
      {error && (
        <p role="alert" class="model-error">
          {error}
        </p>
      )}
      {step && (
        <>
          <p class="t5-line" aria-live="polite">
            <span class="t5-tag">decoder writes</span>{' '}
            <span class="t5-tokens" data-testid="t5-output">
              {step.outTokens.map((t, i) => (
                <span class={/^<X\d+>$/.test(t) ? 't5-tok t5-sentinel' : 't5-tok'} key={i}>
                  {t === ' ' ? '␣' : t}
                </span>
              ))}
              {!step.done && <span class="t5-cursor" aria-hidden="true">▍</span>}
            </span>
          </p>
          {state.task === 'span' && step.done && spansOf(output).length > 0 && (
            <p class="t5-line">
              <span class="t5-tag">gaps filled</span> <span data-testid="t5-filled">{fillSpans(source, output)}</span>
              {target && (
                <>
                  <br />
                  <span class="t5-tag">dropped words</span> <span class="t5-truth">{spansOf(target).join(' · ')}</span>
                </>
              )}
            </p>
          )}
          <LayerHeadSelect layers={layers} heads={heads} layer={state.layer} head={state.head} onChange={set} />
          <figure class="model-figure">
            <figcaption>Cross-attention while it writes: row = the token that step wrote, column = the source token it read.</figcaption>
            <PlotFigure
              class="model-plot t5-plot"
              deps={[step, state.layer, state.head, width]}
              make={() => {
                const layer = Math.min(state.layer, layers - 1);
                return heatmap(layerWeights(step.cross, layer, state.head), { rowLabels, colLabels: step.srcTokens, width, title: `Cross-attention of decoder layer ${layer + 1}` }) as Element;
              }}
            />
          </figure>
        </>
      )}
    </div>
  );
}
