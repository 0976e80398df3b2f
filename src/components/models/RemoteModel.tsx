// A bigger model from the web, for readers who are online: the address of a public ONNX export
// (GPT-2 small by default) or of a model folder; its size is shown before anything large is
// downloaded; the download shows progress and can be cancelled; then the next-token distribution.
import { useEffect, useRef, useState } from 'preact/hooks';
import { text } from '../../engine/index.ts';
import type { WidgetProps } from '../embed/registry.ts';
import type { Progress } from '../../runtime/models/fetch-cached.ts';
import { loadOrt, modelGpuDevice } from '../../runtime/models/ort-web.ts';
import { loadRemoteModel, probeRemoteModel, type NextTokenModel, type RemoteModel, type RemoteProbe } from '../../runtime/models/remote.ts';
import type { OrtApi } from '../../runtime/models/session.ts';
import { gpt2Tokenizer } from './gpt2-tokenizer.ts';
import { useModelProvider } from './model-provider.ts';
import { useInference } from './use-inference.ts';
import { PlotFigure } from './PlotFigure.tsx';
import { barChart } from './heatmap.ts';
import type { RemoteModelState } from './state.ts';
import './models.css';

const mb = (n: number): string => (n < 1e5 ? `${Math.round(n / 1e3)} kB` : `${(n / 1e6).toFixed(1)} MB`);
const show = (t: string): string => JSON.stringify(t).slice(1, -1);

type Phase = 'idle' | 'checking' | 'checked' | 'downloading' | 'ready';

/** The ten most likely next tokens after `prompt` (temperature 1), labelled for the bar chart. */
async function nextTokenBars(runner: NextTokenModel, prompt: string): Promise<Array<{ label: string; probability: number }>> {
  const { logits } = await runner.step(runner.encode(prompt));
  const probs = text.softmaxWithTemperature(logits, 1);
  const top = Array.from(probs.keys()).sort((a, b) => probs[b]! - probs[a]!).slice(0, 10);
  return top.map((id) => ({ label: `“${show(runner.tokenizer.decode([id]))}”`, probability: probs[id]! }));
}

export default function RemoteModelWidget({ state, onStateChange }: WidgetProps<RemoteModelState>) {
  const [phase, setPhase] = useState<Phase>('idle');
  const [probe, setProbe] = useState<RemoteProbe | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [model, setModel] = useState<RemoteModel | null>(null);
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const provider = useModelProvider() ?? 'wasm';

  const fail = (err: unknown, back: Phase): void => {
    setError((err as Error).message);
    setPhase(back);
  };

  const check = async (): Promise<void> => {
    abort.current?.abort();
    const ctl = (abort.current = new AbortController());
    setError(null);
    setModel(null);
    setPhase('checking');
    try {
      setProbe(await probeRemoteModel(state.url, ctl.signal));
      setPhase('checked');
    } catch (err) {
      fail(err, 'idle');
    }
  };

  const download = async (): Promise<void> => {
    if (!probe) return;
    const ctl = (abort.current = new AbortController());
    setError(null);
    setProgress(null);
    setPhase('downloading');
    try {
      // The page's choice of provider (model-provider.ts); a 124 M-parameter model gains from WebGPU.
      const [ort, gpuDevice] = await Promise.all([loadOrt(provider), provider === 'webgpu' ? modelGpuDevice() : undefined]);
      setModel(await loadRemoteModel(ort as unknown as OrtApi, probe, { signal: ctl.signal, onProgress: setProgress, gpt2Tokenizer, ...(gpuDevice ? { gpuDevice } : {}) }));
      setPhase('ready');
    } catch (err) {
      fail(err, 'checked');
    }
  };

  const cancel = (): void => abort.current?.abort();
  useEffect(() => () => abort.current?.abort(), []);

  // A new address invalidates what was checked or loaded.
  const setUrl = (url: string): void => {
    abort.current?.abort();
    setProbe(null);
    setModel(null);
    setError(null);
    setPhase('idle');
    onStateChange({ ...state, url });
  };

  const next = useInference(model?.runner, (runner) => nextTokenBars(runner, state.prompt), [state.prompt]);
  const bars = next.result ?? [];
  const ms = next.ms;

  const busy = phase === 'checking' || phase === 'downloading';
  const fraction = progress?.total ? progress.loaded / progress.total : undefined;
  return (
    <div class="model-widget" data-widget-ready={phase === 'ready' && bars.length > 0 ? 'true' : phase === 'idle' || phase === 'checked' ? 'waiting' : undefined} data-phase={phase} data-infer-ms={ms ?? undefined}>
      <label class="model-field">
        Address of an ONNX language model (a .onnx file) or of a model folder
        <input type="url" value={state.url} spellcheck={false} onChange={(e) => setUrl(e.currentTarget.value)} />
      </label>
      <div class="model-buttons">
        <button type="button" disabled={busy} onClick={() => void check()}>
          Check the size
        </button>
        {probe && phase !== 'ready' && (
          <button type="button" disabled={busy} onClick={() => void download()}>
            Download {probe.bytes !== null ? mb(probe.bytes) : '(size unknown)'} and run
          </button>
        )}
        {busy && (
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        )}
      </div>
      {probe && (
        <p class="model-facts" data-testid="remote-size">
          {probe.name} from {new URL(probe.url).host}: {probe.bytes !== null ? `${mb(probe.bytes)} to download` : 'the server does not say how big it is'}
          {progress?.fromCache ? ' (already in this browser’s cache)' : ''}
        </p>
      )}
      {phase === 'downloading' && (
        <div class="model-loading" aria-live="polite">
          <span>{progress ? `${mb(progress.loaded)}${progress.total ? ` of ${mb(progress.total)}` : ''}` : 'Starting…'}</span>
          <progress max={1} value={fraction} aria-label={`Downloading ${probe?.name ?? 'the model'}`} />
        </div>
      )}
      {(error ?? next.error) && (
        <p role="alert" class="model-error">
          {error ?? next.error}
        </p>
      )}
      {model && (
        <>
          <p class="model-facts">
            Ready in {(model.loadMs / 1000).toFixed(1)} s on {provider === 'webgpu' ? 'WebGPU' : 'the CPU (wasm)'}
            {ms !== null && `; one forward pass ${ms.toFixed(0)} ms`}
          </p>
          <label class="model-field">
            Prompt
            <textarea rows={2} value={state.prompt} onInput={(e) => onStateChange({ ...state, prompt: e.currentTarget.value })} />
          </label>
          <PlotFigure deps={[bars]} make={() => (bars.length ? (barChart(bars, 520, 'Next-token probabilities') as Element) : null)} />
        </>
      )}
    </div>
  );
}
