// Next-token distribution of the shipped GPT for a typed prompt: top-k bars, temperature /
// top-k / top-p controls, and sampling a continuation one token at a time.
import { useRef, useState } from 'preact/hooks';
import { Generator, text } from '../../engine/index.ts';
import type { WidgetProps } from '../embed/registry.ts';
import type { GptRunner, TokenProbability } from '../../runtime/models/gpt.ts';
import { ModelStatus } from './ModelStatus.tsx';
import { PlotFigure } from './PlotFigure.tsx';
import { barChart } from './heatmap.ts';
import { SamplingControls, filteredDistribution } from './SamplingControls.tsx';
import type { NextTokenState } from './state.ts';
import { useInference } from './use-inference.ts';
import { useModel } from './use-model.ts';
import './models.css';

const show = (t: string): string => JSON.stringify(t).slice(1, -1);

/** The most likely next tokens (at most 10, as the filters leave them) after one forward pass. */
async function topBars(runner: GptRunner, prompt: string, s: NextTokenState): Promise<TokenProbability[]> {
  const step = await runner.step(runner.encode(prompt));
  const probs = filteredDistribution(step.logits, s);
  const order = Array.from(probs.keys()).sort((a, b) => probs[b]! - probs[a]!).slice(0, Math.min(10, s.topK));
  return order.filter((id) => probs[id]! > 0).map((id) => ({ id, text: runner.tokenizer.decode([id]), probability: probs[id]! }));
}

export default function NextToken({ state, onStateChange }: WidgetProps<NextTokenState>) {
  const m = useModel<GptRunner>(state.model);
  const [sampleError, setSampleError] = useState<string | null>(null);
  const [generated, setGenerated] = useState<string>('');
  const [busy, setBusy] = useState(false);
  const rng = useRef(new Generator(1234));
  const stop = useRef(false);
  const set = (patch: Partial<NextTokenState>): void => onStateChange({ ...state, ...patch });

  const runner = m.model?.runner;
  const prompt = state.prompt + generated;

  const { result, error: stepError, ms } = useInference(runner, (r) => topBars(r, prompt, state), [prompt, state.temperature, state.topK, state.topP]);
  const bars = result ?? [];
  const error = stepError ?? sampleError;

  async function sampleTokens(n: number): Promise<void> {
    if (!runner) return;
    setBusy(true);
    setSampleError(null);
    stop.current = false;
    let extra = generated;
    try {
      for (let i = 0; i < n && !stop.current; i++) {
        const step = await runner.step(runner.encode(state.prompt + extra));
        const probs = filteredDistribution(step.logits, state);
        const id = text.sampleCategorical(probs, () => rng.current.random());
        extra += runner.tokenizer.decode([id]);
        setGenerated(extra);
      }
    } catch (err) {
      setSampleError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="model-widget" data-widget-ready={runner && bars.length > 0 ? 'true' : undefined} data-infer-ms={ms ?? undefined}>
      <ModelStatus name={state.model} state={m} inferenceMs={ms} />
      <label class="model-field">
        Prompt
        <textarea rows={2} value={state.prompt} onInput={(e) => { setGenerated(''); set({ prompt: e.currentTarget.value }); }} />
      </label>
      <SamplingControls settings={state} onChange={set} />
      {error && <p role="alert" class="model-error">{error}</p>}
      <PlotFigure
        deps={[bars]}
        make={() => (bars.length ? (barChart(bars.map((b) => ({ label: `“${show(b.text)}”`, probability: b.probability })), 520, 'Next-token probabilities') as Element) : null)}
      />
      <div class="model-buttons">
        <button type="button" disabled={!runner || busy} onClick={() => sampleTokens(1)}>Sample next token</button>
        <button type="button" disabled={!runner || busy} onClick={() => sampleTokens(30)}>Sample 30 tokens</button>
        <button type="button" disabled={!busy} onClick={() => { stop.current = true; }}>Stop</button>
        <button type="button" disabled={busy || generated === ''} onClick={() => setGenerated('')}>Clear</button>
      </div>
      <p class="model-output" aria-live="polite">
        <span class="model-prompt">{state.prompt}</span>
        <mark class="model-generated" data-testid="generated">{generated}</mark>
      </p>
    </div>
  );
}
