// Loading bar, load error, or the model's one-line facts once it is ready; and the switch between
// onnxruntime's CPU (wasm) and WebGPU providers, which applies to every model widget on the page.
import type { ModelState } from './use-model.ts';
import type { Runner } from '../../runtime/models/load.ts';
import type { ModelProvider } from '../../runtime/models/session.ts';
import { browserHasWebGpu, setModelProvider } from './model-provider.ts';

const PROVIDER_LABEL: Record<ModelProvider, string> = { wasm: 'the CPU (wasm)', webgpu: 'WebGPU' };

function ProviderSwitch({ current }: { current: ModelProvider }) {
  const other: ModelProvider = current === 'wasm' ? 'webgpu' : 'wasm';
  if (other === 'webgpu' && !browserHasWebGpu()) return null;
  return (
    <button type="button" class="model-provider-switch" onClick={() => setModelProvider(other)} title="Applies to every model on this page; remembered in this browser">
      Run on {PROVIDER_LABEL[other]}
    </button>
  );
}

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
      <div class="model-status">
        <p role="alert" class="model-error">
          {state.error}
        </p>
        {state.provider === 'webgpu' && <ProviderSwitch current="webgpu" />}
      </div>
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
    <div class="model-status">
      <p class="model-facts" data-model-ready={name} data-provider={m.provider}>
        {name}: {m.config.params.toLocaleString('en')} parameters, {mb(m.onnx.byteLength)}, loaded in {Math.round(m.loadMs)} ms on {PROVIDER_LABEL[m.provider]}
        {inferenceMs != null && `; ${label} ${inferenceMs.toFixed(1)} ms`}
      </p>
      <ProviderSwitch current={m.provider} />
    </div>
  );
}
