// The few-shot explorer: a secret code the GPT never saw in training, k examples of it in the
// prompt, a query letter; the model's probabilities for the eight digits, and where the chosen
// head attends from the query (the induction head reads the digit after the earlier same letter).
import type { WidgetProps } from '../../embed/registry.ts';
import type { GptRunner } from '../../../runtime/models/gpt.ts';
import { ModelStatus } from '../../models/ModelStatus.tsx';
import { headMatrix } from '../../models/heatmap.ts';
import { useInference } from '../../models/use-inference.ts';
import { useModel } from '../../models/use-model.ts';
import { bestForQuery, buildPrompt, exampleOrder, heldOutCode, HELD_OUT_CODES, KEYS, N, VALUES } from './few-shot.ts';
import { HEADS, LAYERS, type FewShotState } from './state.ts';
import '../../models/models.css';
import './gpt.css';

const MODEL = 'gpt-icl';

interface Result {
  tokens: string[];
  /** P(digit) for 0..7, renormalised over the digits. */
  digits: number[];
  /** Attention of the query (last token) over the prompt, per layer and head. */
  attention: number[][][];
}

async function run(runner: GptRunner, prompt: string): Promise<Result> {
  const ids = runner.encode(prompt);
  const step = await runner.step(ids);
  const digitIds = Array.from(VALUES, (v) => runner.encode(v)[0]!);
  const raw = digitIds.map((id) => step.logits[id]!);
  const m = Math.max(...raw);
  const e = raw.map((x) => Math.exp(x - m));
  const z = e.reduce((a, b) => a + b, 0);
  const T = ids.length;
  const attention = Array.from({ length: step.attention.layers }, (_, l) =>
    Array.from({ length: step.attention.heads }, (_, h) => Array.from(headMatrix(step.attention, l, h).subarray((T - 1) * T, T * T))));
  return { tokens: ids.map((id) => runner.tokenizer.decode([id])), digits: e.map((x) => x / z), attention };
}

const pct = (p: number): string => `${(100 * p).toFixed(p > 0.995 || p < 0.005 ? 0 : 1)} %`;

export default function FewShot({ state, onStateChange, layout }: WidgetProps<FewShotState>) {
  const m = useModel<GptRunner>(MODEL);
  const set = (patch: Partial<FewShotState>): void => onStateChange({ ...state, ...patch });
  const code = heldOutCode(state.code);
  const shown = exampleOrder(state.code).slice(0, state.k);
  const query = KEYS.indexOf(state.query);
  const prompt = buildPrompt(code, shown, query);
  const answer = code[query]!;
  const { result, error, ms } = useInference(m.model?.runner, (r) => run(r, prompt), [prompt]);
  const best = bestForQuery(shown, query);
  const att = result?.attention[state.layer - 1]?.[state.head - 1];
  const maxAtt = att ? Math.max(...att) : 1;
  const top = result ? result.digits.indexOf(Math.max(...result.digits)) : -1;
  return (
    <div
      class={`model-widget fs-widget${layout === 'slide' ? ' fs-slide' : ''}`}
      data-widget-ready={result ? 'true' : undefined}
      data-infer-ms={ms ?? undefined}
      data-p-right={result ? result.digits[answer]!.toFixed(4) : undefined}
    >
      <ModelStatus name={MODEL} state={m} inferenceMs={ms} />
      <div class="model-controls">
        <label>
          Secret code no.
          <input type="number" min={0} max={HELD_OUT_CODES - 1} value={state.code} onInput={(e) => { const v = Number(e.currentTarget.value); if (Number.isFinite(v)) set({ code: Math.min(HELD_OUT_CODES - 1, Math.max(0, Math.round(v))) }); }} />
        </label>
        <label>
          Examples k = {state.k}
          <input type="range" min={0} max={N} step={1} value={state.k} onInput={(e) => set({ k: Number(e.currentTarget.value) })} />
        </label>
        <label>
          Query letter
          <select value={state.query} onChange={(e) => set({ query: e.currentTarget.value })}>
            {Array.from(KEYS, (c) => <option value={c} key={c}>{c}</option>)}
          </select>
        </label>
        <label>
          Attention of
          <select value={`${state.layer}-${state.head}`} onChange={(e) => { const [l, h] = e.currentTarget.value.split('-').map(Number); set({ layer: l!, head: h! }); }}>
            {Array.from({ length: LAYERS }, (_, l) => Array.from({ length: HEADS }, (_, h) => (
              <option value={`${l + 1}-${h + 1}`} key={`${l}-${h}`}>layer {l + 1}, head {h + 1}</option>
            )))}
          </select>
        </label>
      </div>
      {error && <p role="alert" class="model-error">{error}</p>}
      <p class="fs-caption">
        The prompt ({state.k} example{state.k === 1 ? '' : 's'} of code no. {state.code}, then the query), each token shaded by how much
        the query <strong>{state.query}</strong> attends to it in layer {state.layer}, head {state.head}:
      </p>
      <div class="fs-prompt" role="list" aria-label="prompt tokens with attention from the query">
        {Array.from(prompt, (ch, i) => {
          const w = att?.[i] ?? 0;
          const last = i === prompt.length - 1;
          return (
            <span
              role="listitem"
              key={i}
              class={`fs-token${last ? ' fs-query' : ''}`}
              style={`--w: ${maxAtt > 0 ? w / maxAtt : 0}`}
              title={att ? `attention ${pct(w)}` : undefined}
              aria-label={`${ch}${att ? `, attention ${pct(w)}` : ''}`}
            >
              {ch}
            </span>
          );
        })}
      </div>
      <div class="fs-digits" role="group" aria-label="the model's probability for each digit">
        {Array.from(VALUES, (v, d) => {
          const p = result?.digits[d] ?? 0;
          return (
            <div class={`fs-digit${d === answer ? ' fs-right' : ''}`} key={v}>
              <span class="fs-bar" style={`--p: ${p}`} />
              <span class="fs-digit-label">{v}{d === answer ? ' ✓' : ''}</span>
              <span class="fs-digit-p">{result ? pct(p) : '…'}</span>
            </div>
          );
        })}
      </div>
      <p class="fs-verdict" aria-live="polite" data-testid="verdict">
        {result
          ? <>The code sends <strong>{state.query} → {VALUES[answer]}</strong>. The model puts {pct(result.digits[answer]!)} on it
            {top === answer ? ' (its top choice)' : `; its top choice is ${VALUES[top]}`}. Best possible:{' '}
            {shown.includes(query) ? 'copy the example, 100 %' : `guess among the ${N - state.k} unused digits, ${pct(best)}`}.</>
          : 'Loading the model…'}
      </p>
    </div>
  );
}
