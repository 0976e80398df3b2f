// You are the labeller: two continuations of one prompt from the book's GPT, pick the better one.
// Choices are kept in the URL state (embeds) and in this browser's storage (the chapter), the
// built-in labeller can fill the rest, and the label string is what the chapter's cells train on.
import { useEffect, useId, useState } from 'preact/hooks';
import type { WidgetProps } from '../../embed/registry.ts';
import { counts, fillWithBuiltin, nextOpen, padded, setLabel, type Pair, type Verdict } from './labels.ts';
import type { RlhfPairsState } from './state.ts';
import './rlhf-pairs.css';

const STORE_KEY = 'attention-lab:rlhf-labels';

let shared: Promise<Pair[]> | null = null;
function loadPairs(): Promise<Pair[]> {
  const base = (import.meta as { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/';
  const url = `${base.replace(/\/$/, '')}/data/rlhf-pairs.json`;
  shared ??= fetch(url)
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`could not load ${url} (HTTP ${r.status})`))))
    .then((d: { pairs: Pair[] }) => d.pairs.map(({ prompt, a, b, builtin }) => ({ prompt, a, b, builtin })));
  shared.catch(() => (shared = null));
  return shared;
}

function readStored(): string {
  try {
    return localStorage.getItem(STORE_KEY) ?? '';
  } catch {
    return '';
  }
}
function store(labels: string): void {
  try {
    localStorage.setItem(STORE_KEY, labels);
  } catch {
    /* storage refused (private window, cross-origin frame): the URL state still holds the labels */
  }
}

const NAME: Record<string, string> = { a: 'A', b: 'B', '-': "can't tell", A: 'A (built-in)', B: 'B (built-in)', '=': 'tie (built-in)' };

export default function RlhfPairs({ state, onStateChange, layout }: WidgetProps<RlhfPairsState>) {
  const id = useId();
  const [pairs, setPairs] = useState<Pair[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState('');

  useEffect(() => {
    loadPairs().then(setPairs, (e: Error) => setError(e.message));
  }, []);
  // In the chapter, the reader's labels survive a reload.
  useEffect(() => {
    if (layout === 'page' && state.labels === '') {
      const saved = readStored();
      if (saved) onStateChange({ ...state, labels: saved, i: Math.max(0, nextOpen(saved, -1)) });
    }
  }, []);
  const update = (next: RlhfPairsState) => {
    if (layout === 'page') store(next.labels);
    setCopied('');
    onStateChange(next);
  };

  if (error) return <p class="rp-error">The pairs could not be loaded: {error}</p>;
  if (!pairs) return <p class="rp-loading">Loading the pairs…</p>;

  const i = Math.min(state.i, pairs.length - 1);
  const pair = pairs[i]!;
  const all = padded(state.labels, pairs.length);
  const current = all[i]!;
  const c = counts(state.labels, pairs);
  const pick = (choice: Verdict) => {
    const labels = setLabel(state.labels, i, choice);
    const next = nextOpen(labels, i, pairs.length);
    update({ labels, i: next < 0 ? i : next });
  };
  const go = (to: number) => update({ ...state, i: (to + pairs.length) % pairs.length });
  const copy = () => {
    const text = all;
    const done = () => setCopied('Copied: paste it between the quotes of MY_LABELS.');
    const fallback = () => {
      (document.getElementById(`${id}-labels`) as HTMLTextAreaElement | null)?.select();
      setCopied('Selected: press Ctrl+C (⌘C) to copy.');
    };
    if (navigator.clipboard?.writeText) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  };
  const choice = (side: 'a' | 'b') => (
    <button
      type="button"
      class={`rp-choice rp-choice-${side}`}
      aria-pressed={current.toLowerCase() === side}
      onClick={() => pick(side)}
    >
      <span class="rp-letter" aria-hidden="true">{side.toUpperCase()}</span>
      <span class="rp-text">
        <span class="visually-hidden">{`Continuation ${side.toUpperCase()}: `}</span>
        <span class="rp-prompt-echo">{pair.prompt}</span>
        <strong class="rp-cont">{pair[side]}</strong>
      </span>
    </button>
  );

  return (
    <div class={`rp-widget rp-${layout}`} data-ready="true" data-i={i} data-mine={c.mine} data-builtin={c.builtin}>
      <p class="rp-status">
        Pair <strong>{i + 1}</strong> of {pairs.length} · labelled by you: <strong class="rp-mine">{c.mine}</strong>
        {c.builtin > 0 && <> · by the built-in labeller: <strong class="rp-builtin">{c.builtin}</strong></>}
        {c.compared > 0 && <> · you and the built-in labeller agree on {c.agree} of {c.compared}</>}
      </p>
      <p class="rp-question" id={`${id}-q`}>Which continuation is better?</p>
      <div class="rp-choices" role="group" aria-labelledby={`${id}-q`}>
        {choice('a')}
        {choice('b')}
      </div>
      <div class="rp-actions">
        <button type="button" aria-pressed={current === '-'} onClick={() => pick('-')}>Can't tell</button>
        <button type="button" onClick={() => go(i - 1)}>← Previous</button>
        <button type="button" onClick={() => go(i + 1)}>Next →</button>
        <button type="button" class="rp-fill" onClick={() => update({ ...state, labels: fillWithBuiltin(state.labels, pairs) })}>
          Label the rest with the built-in labeller
        </button>
        <button type="button" onClick={() => update({ i: 0, labels: '' })}>Clear</button>
      </div>
      <p class="rp-verdict" aria-live="polite">
        {current === '.'
          ? 'Not labelled yet.'
          : `Label: ${NAME[current]}. The built-in labeller ${pair.builtin === '-' ? 'has no preference here' : `prefers ${pair.builtin.toUpperCase()}`}.`}
      </p>
      <div class="rp-export widget-secondary">
        <label for={`${id}-labels`}>
          Your labels, one letter per pair (a, b, - yours; A, B, = the built-in labeller's; . open). Paste them into
          the cell's <code>MY_LABELS</code> to train on them:
        </label>
        <div class="rp-export-row">
          <textarea id={`${id}-labels`} class="rp-labels" readOnly rows={2} value={all} spellcheck={false} />
          <button type="button" class="rp-copy" onClick={copy}>Copy my labels</button>
        </div>
        <p class="rp-copied" aria-live="polite">{copied}</p>
      </div>
    </div>
  );
}


