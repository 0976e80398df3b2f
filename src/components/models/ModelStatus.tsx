// Loading bar, load error, or the model's one-line facts once it is ready.
import type { ModelState } from './use-model.ts';
import type { Runner } from '../../runtime/models/load.ts';

function mb(n: number): string {
  return n < 1e5 ? `${Math.round(n / 1e3)} kB` : `${(n / 1e6).toFixed(1)} MB`;
}

interface Props<R extends Runner> {
  name: string;
  state: ModelState<R>;
  /** Time of the last run, shown once known. */
  inferenceMs?: number | null;
  label?: string;
}

export function ModelStatus<R extends Runner>({ name, state, inferenceMs, label = 'last run' }: Props<R>) {
  if (state.error) {
    return (
      <p role="alert" class="model-error">
        {state.error}
      </p>
    );
  }
  if (!state.model) {
    const p = state.progress;
    const value = p && p.total ? p.loaded / p.total : undefined;
    return (
      <div class="model-loading" aria-live="polite">
        <span>Loading {name}{p ? ` — ${mb(p.loaded)}${p.total ? ` of ${mb(p.total)}` : ''}` : '…'}</span>
        <progress max={1} value={value} aria-label={`Loading ${name}`} />
      </div>
    );
  }
  const m = state.model;
  return (
    <p class="model-facts" data-model-ready={name}>
      {name}: {m.config.params.toLocaleString('en')} parameters, {mb(m.onnx.byteLength)}, loaded in {Math.round(m.loadMs)} ms
      {inferenceMs != null && `; ${label} ${inferenceMs.toFixed(1)} ms`}
    </p>
  );
}
