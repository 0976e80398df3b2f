// The parameter-count explorer: set the vocabulary, context, width, blocks, heads and FFN width
// (or pick a published preset) and see where the parameters sit, the total, the forward FLOPs per
// token and the memory for the weights and the key–value cache. Pure arithmetic (params.ts).
import { useId } from 'preact/hooks';
import type { WidgetProps } from '../../embed/registry.ts';
import { COMPONENTS, COMPONENT_LABELS, PRESETS, flopsPerToken, humanBytes, humanCount, memoryBytes, paramBreakdown } from './params.ts';
import { clampField, LIMITS, type IntField, type TransformerParamsState } from './state.ts';
import './transformer.css';

const FIELDS: { field: IntField; label: string }[] = [
  { field: 'V', label: 'Vocabulary V' },
  { field: 'T', label: 'Context T' },
  { field: 'd', label: 'Width d' },
  { field: 'N', label: 'Blocks N' },
  { field: 'h', label: 'Heads h' },
  { field: 'ffMult', label: 'FFN width d_ff / d' },
];

function samePreset(a: TransformerParamsState, b: TransformerParamsState): boolean {
  return a.V === b.V && a.T === b.T && a.d === b.d && a.N === b.N && a.h === b.h && a.ffMult === b.ffMult && a.tied === b.tied;
}

export default function TransformerParams({ state, onStateChange, layout }: WidgetProps<TransformerParamsState>) {
  const id = useId();
  const b = paramBreakdown(state);
  const mem = memoryBytes(state);
  const flops = flopsPerToken(state);
  const set = (patch: Partial<TransformerParamsState>) => onStateChange({ ...state, ...patch });
  const largest = Math.max(...COMPONENTS.map((k) => b[k]), 1);
  return (
    <div
      class={`tp-widget${layout === 'slide' ? ' tp-slide' : ''}`}
      data-widget-ready="true"
      data-total={b.total}
      data-d={state.d}
      data-n={state.N}
    >
      <div class="tp-presets" role="group" aria-label="Presets">
        {Object.entries(PRESETS).map(([name, c]) => (
          <button type="button" class="tp-preset" aria-pressed={samePreset(state, c)} onClick={() => onStateChange({ ...c })}>
            {name}
          </button>
        ))}
      </div>
      <div class="tp-controls">
        {FIELDS.map(({ field, label }) => (
          <label class="tp-field" for={`${id}-${field}`}>
            <span>{label}</span>
            <input
              id={`${id}-${field}`}
              type="number"
              min={LIMITS[field][0]}
              max={LIMITS[field][1]}
              step={1}
              value={state[field]}
              onInput={(e) => {
                // Only whole numbers in range take effect while typing; the rest waits for the next key.
                const x = Number((e.target as HTMLInputElement).value);
                if (Number.isInteger(x) && x === clampField(field, x)) set({ [field]: x } as Partial<TransformerParamsState>);
              }}
            />
          </label>
        ))}
        <label class="tp-field tp-check">
          <input type="checkbox" checked={state.tied} onChange={(e) => set({ tied: (e.target as HTMLInputElement).checked })} />
          <span>output layer tied to the token embedding</span>
        </label>
      </div>
      {state.d % state.h !== 0 ? (
        <p class="tp-warning" role="status">
          d = {state.d} is not divisible by h = {state.h}: each head needs d/h whole dimensions.
        </p>
      ) : null}
      <div class="tp-main">
        <table class="tp-table">
          <caption class="tp-total">
            <span class="tp-total-n">{b.total.toLocaleString('en-US')}</span> parameters{b.total >= 1e6 ? ` (${humanCount(b.total)})` : ''}
          </caption>
          <tbody>
            {COMPONENTS.map((k) => (
              <tr data-part={k}>
                <th scope="row">
                  {COMPONENT_LABELS[k].name} <span class="tp-formula">{COMPONENT_LABELS[k].formula}</span>
                </th>
                <td class="tp-num">{b[k].toLocaleString('en-US')}</td>
                <td class="tp-num">{b.total ? ((100 * b[k]) / b.total).toFixed(1) : '0.0'} %</td>
                <td class="tp-barcell" aria-hidden="true">
                  <span class={`tp-bar tp-bar-${k}`} style={{ width: `${(100 * b[k]) / largest}%` }} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <dl class="tp-costs">
          <div><dt>one block</dt><dd class="tp-block">{b.perBlock.toLocaleString('en-US')}</dd></div>
          <div><dt>head width d/h</dt><dd>{state.d % state.h === 0 ? state.d / state.h : (state.d / state.h).toFixed(2)}</dd></div>
          <div><dt>forward FLOPs per token</dt><dd class="tp-flops">{humanCount(flops)}</dd></div>
          <div><dt>weights fp32 / fp16</dt><dd>{humanBytes(mem.fp32)} / {humanBytes(mem.fp16)}</dd></div>
          <div><dt>KV cache, one sequence of T (fp16)</dt><dd>{humanBytes(mem.kvCache)}</dd></div>
        </dl>
      </div>
    </div>
  );
}
