// Temperature, top-k and top-p: the sliders that reshape a next-token distribution, and the
// distribution they leave. Shared by the shipped GPT's widget (NextToken.tsx) and a cell's
// viewers.nextToken output.
import { text } from '../../engine/index.ts';

export interface SamplingSettings {
  temperature: number;
  topK: number;
  /** 1 = off. */
  topP: number;
}

/** Probabilities after temperature, top-k and top-p, renormalised (what `sample` draws from). */
export function filteredDistribution(logits: ArrayLike<number>, s: SamplingSettings): Float64Array {
  if (s.temperature === 0) return text.softmaxWithTemperature(logits, 0);
  let scaled: ArrayLike<number> = Float64Array.from(logits, (v) => v / s.temperature);
  scaled = text.topK(scaled, s.topK);
  if (s.topP < 1) scaled = text.topP(scaled, s.topP);
  return text.softmaxWithTemperature(scaled, 1);
}

export function SamplingControls({ settings: s, onChange, maxTopK = 50 }: { settings: SamplingSettings; onChange: (patch: Partial<SamplingSettings>) => void; maxTopK?: number }) {
  return (
    <div class="model-controls">
      <label>
        temperature {s.temperature.toFixed(2)}
        <input type="range" min={0} max={2} step={0.05} value={s.temperature} onInput={(e) => onChange({ temperature: Number(e.currentTarget.value) })} />
      </label>
      <label>
        top-k {s.topK}
        <input type="range" min={1} max={maxTopK} step={1} value={s.topK} onInput={(e) => onChange({ topK: Number(e.currentTarget.value) })} />
      </label>
      <label>
        top-p {s.topP >= 1 ? 'off' : s.topP.toFixed(2)}
        <input type="range" min={0.05} max={1} step={0.05} value={s.topP} onInput={(e) => onChange({ topP: Number(e.currentTarget.value) })} />
      </label>
    </div>
  );
}
