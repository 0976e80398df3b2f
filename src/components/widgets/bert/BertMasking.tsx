// The masking explorer: a sentence, BERT's 15 % / 80-10-10 corruption of it for a seed you pick,
// and the attention mask that decides what the model may read while it recovers a chosen word —
// both sides in BERT's encoder, only the left side under GPT's causal mask.
import { useEffect, useId, useState } from 'preact/hooks';
import type { WidgetProps } from '../../embed/registry.ts';
import { MASK, drawMasks, tally, tokenize, visibleKeys, type MaskedWord } from './masking.ts';
import { MAX_TEXT, RATE_LIMITS, SEED_MAX, type BertMaskingState } from './state.ts';
import './bert-masking.css';

const OUTCOME_TEXT: Record<MaskedWord['outcome'], string> = {
  kept: 'not chosen',
  mask: 'chosen → [MASK]',
  random: 'chosen → a random word',
  same: 'chosen → left unchanged',
};

const quote = (w: string): string => `“${w}”`;

export default function BertMasking({ state, onStateChange, layout }: WidgetProps<BertMaskingState>) {
  const id = useId();
  const [draft, setDraft] = useState(state.text);
  useEffect(() => setDraft(state.text), [state.text]);
  const set = (patch: Partial<BertMaskingState>): void => onStateChange({ ...state, ...patch });

  const words = tokenize(state.text);
  const draw = drawMasks(words, state.seed, state.rate / 100);
  const counts = tally(draw);
  const chosen = words.length - counts.kept;
  const bert = state.mask === 'full';
  const focus = Math.min(state.focus, Math.max(0, words.length - 1));

  // BERT reads [CLS] words [SEP]; GPT reads the words as they are and has no [CLS] or [SEP].
  const positions = bert ? ['[CLS]', ...draw.map((w) => w.shown), '[SEP]'] : [...words];
  const offset = bert ? 1 : 0;
  // BERT recovers the word at its own position; GPT predicts word i from the output at i − 1.
  const row = bert ? focus + offset : focus - 1;
  const visible = row >= 0 ? visibleKeys(row, positions.length, state.mask) : [];
  const seen = visible.filter(Boolean).length;
  const target = words[focus] ?? '';

  let context: string;
  if (words.length === 0) context = 'Type a sentence.';
  else if (bert) {
    const left = focus + offset;
    const right = positions.length - left - 1;
    context = `To recover ${quote(target)}, BERT's output at its position reads all ${positions.length} positions: ${left} to its left, ${right} to its right (with [CLS] and [SEP]).`;
  } else if (row < 0) context = `GPT has nothing to predict the first word ${quote(target)} from: no word comes before it.`;
  else context = `GPT predicts ${quote(target)} from the output at ${quote(words[row]!)}, which reads ${seen} word${seen === 1 ? '' : 's'}: ${words.slice(0, row + 1).join(' ')} — nothing to the right.`;

  const summary = bert
    ? `${chosen} of ${words.length} words chosen: ${counts.mask} → [MASK], ${counts.random} → a random word, ${counts.same} left unchanged. The loss reads only these ${chosen} position${chosen === 1 ? '' : 's'}.`
    : 'GPT is not trained with masks: it reads the text as it is and predicts every next word, with the causal mask hiding the right side.';

  return (
    <div
      class={`bm-widget bm-${layout}`}
      data-ready="true"
      data-mask={state.mask}
      data-seed={state.seed}
      data-chosen={chosen}
      data-shown={positions.join('|')}
      data-seen={seen}
    >
      <div class="bm-controls">
        <label class="bm-text">
          Sentence
          <input
            type="text"
            value={draft}
            maxLength={MAX_TEXT}
            onInput={(e) => {
              const text = e.currentTarget.value;
              setDraft(text);
              if (tokenize(text).length > 0) set({ text, focus: Math.min(focus, tokenize(text).length - 1) });
            }}
          />
        </label>
        <label class="bm-slider">
          <span>Seed <output>{state.seed}</output></span>
          <input type="range" min={0} max={SEED_MAX} step={1} value={state.seed} onInput={(e) => set({ seed: Number(e.currentTarget.value) })} />
        </label>
        <button type="button" class="bm-redraw" onClick={() => set({ seed: (state.seed + 1) % (SEED_MAX + 1) })}>
          New draw
        </button>
        <label class="bm-slider">
          <span>Chosen <output>{state.rate} %</output></span>
          <input type="range" min={RATE_LIMITS[0]} max={RATE_LIMITS[1]} step={1} value={state.rate} onInput={(e) => set({ rate: Number(e.currentTarget.value) })} />
        </label>
        <fieldset class="bm-attn">
          <legend>Attention</legend>
          <label>
            <input type="radio" name={`${id}-mask`} checked={bert} onChange={() => set({ mask: 'full' })} />
            BERT: both sides
          </label>
          <label>
            <input type="radio" name={`${id}-mask`} checked={!bert} onChange={() => set({ mask: 'causal' })} />
            GPT: left only
          </label>
        </fieldset>
      </div>

      <div class="bm-input" role="group" aria-label="The input the model reads; choose a word to see its context">
        {positions.map((shown, p) => {
          const i = p - offset;
          const w = i >= 0 && i < words.length ? draw[i]! : null;
          const outcome = bert && w ? w.outcome : 'kept';
          const special = w === null;
          return (
            <div key={`${p}-${shown}`} class={`bm-slot bm-o-${special ? 'special' : outcome}`}>
              {special ? (
                <span class="bm-chip">{shown}</span>
              ) : (
                <button
                  type="button"
                  class="bm-chip"
                  aria-pressed={i === focus}
                  aria-label={`${shown}${bert && outcome !== 'kept' ? ` (was “${w!.word}”, ${OUTCOME_TEXT[outcome]})` : ''}`}
                  onClick={() => set({ focus: i })}
                >
                  {shown}
                </button>
              )}
              <span class="bm-label" aria-hidden="true">{bert && outcome !== 'kept' && w ? w.word : '\u00a0'}</span>
            </div>
          );
        })}
      </div>
      {bert && (
        <p class="bm-legend" aria-hidden="true">
          <span class="bm-key bm-o-mask">[MASK] 80 %</span>
          <span class="bm-key bm-o-random">random word 10 %</span>
          <span class="bm-key bm-o-same">unchanged 10 %</span>
          <span class="bm-note">the word under a chosen slot is its label</span>
        </p>
      )}
      <p class="bm-summary" aria-live="polite">{summary}</p>

      <figure class="bm-grid">
        <figcaption>
          {bert ? 'BERT: no mask' : 'GPT: causal mask'} — row = the position that reads, column = what it may read ({bert ? 'every cell open' : 'only on and below the diagonal'}){bert && draw.some((w) => w.outcome === 'mask') ? '; [M] is [MASK]' : ''}
        </figcaption>
        <div class="bm-grid-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col"><span class="bm-sr">reads \ may read</span></th>
                {positions.map((t, j) => <th scope="col" key={`c${j}`}>{t === MASK ? '[M]' : t}</th>)}
              </tr>
            </thead>
            <tbody>
              {positions.map((t, r) => {
                const vis = visibleKeys(r, positions.length, state.mask);
                return (
                  <tr key={`r${r}`} class={r === row ? 'is-focus' : undefined}>
                    <th scope="row">{t === MASK ? '[M]' : t}</th>
                    {vis.map((v, j) => (
                      <td key={`c${j}`} class={v ? 'is-open' : 'is-blocked'}>
                        {v ? <span class="bm-sr">may read</span> : <><span aria-hidden="true">×</span><span class="bm-sr">masked</span></>}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <p class="bm-context" aria-live="polite">{context}</p>
      </figure>
    </div>
  );
}
