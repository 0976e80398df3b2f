// Your own text, cut into tokens twice: by GPT-2's byte-level BPE (50,257 tokens) and by the book's
// vocabulary learned on the speeches (2,048), with the counts of words and tokens. Neither vocabulary
// is downloaded before you press the button or edit the text (GPT-2's files are about 1.5 MB).
import { useEffect, useState } from 'preact/hooks';
import { text as textApi } from '../../../engine/index.ts';
import type { WidgetProps } from '../../embed/registry.ts';
import { gpt2Tokenizer } from '../../models/gpt2-tokenizer.ts';
import { countWords, showToken, type TokensState } from './tokens-state.ts';
import '../../models/models.css';
import './gpt.css';

type Tok = InstanceType<typeof textApi.Gpt2Tokenizer>;

let bookTokenizer: Promise<Tok> | null = null;
function bookVocabulary(): Promise<Tok> {
  const base = (import.meta as { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/';
  bookTokenizer ??= textApi.loadGpt2Tokenizer(`${base.replace(/\/$/, '')}/models/gpt-sotu/`).catch((err: unknown) => {
    bookTokenizer = null;
    throw err;
  });
  return bookTokenizer;
}

interface Cut {
  name: string;
  vocab: number;
  tokens: string[];
}

function Row({ cut, words }: { cut: Cut; words: number }) {
  return (
    <div class="tk-row">
      <p class="tk-head">
        <strong>{cut.name}</strong> ({cut.vocab.toLocaleString('en')} tokens): <output data-testid={`count-${cut.vocab}`}>{cut.tokens.length}</output> tokens
        {words > 0 ? `, ${(cut.tokens.length / words).toFixed(2)} a word` : ''}
      </p>
      <div class="tk-chips" role="list" aria-label={`${cut.name} tokens`}>
        {cut.tokens.map((t, i) => <span role="listitem" class={`tk-chip tk-${i % 2}`} key={i}>{showToken(t)}</span>)}
      </div>
    </div>
  );
}

export default function Tokens({ state, onStateChange, layout }: WidgetProps<TokensState>) {
  const [wanted, setWanted] = useState(false);
  const [cuts, setCuts] = useState<Cut[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    setBusy(true);
    Promise.all([gpt2Tokenizer(), bookVocabulary()]).then(
      ([gpt2, book]) => {
        if (!live) return;
        setCuts([
          { name: 'GPT-2', vocab: gpt2.vocabSize, tokens: gpt2.tokenStrings(gpt2.encode(state.text, { allowSpecial: false })) },
          { name: 'The book’s GPT', vocab: book.vocabSize, tokens: book.tokenStrings(book.encode(state.text, { allowSpecial: false })) },
        ]);
        setError(null);
        setBusy(false);
      },
      (err: unknown) => {
        if (!live) return;
        setError(`Could not load a vocabulary: ${(err as Error).message}`);
        setBusy(false);
      },
    );
    return () => {
      live = false;
    };
  }, [wanted, state.text]);
  const words = countWords(state.text);
  return (
    <div class={`model-widget tk-widget${layout === 'slide' ? ' fs-slide' : ''}`} data-widget-ready={cuts ? 'true' : wanted ? undefined : 'waiting'}>
      <label class="model-field">
        Your text ({words} word{words === 1 ? '' : 's'})
        <textarea rows={3} value={state.text} onInput={(e) => { setWanted(true); onStateChange({ text: e.currentTarget.value }); }} />
      </label>
      {!wanted && (
        <div class="model-buttons">
          <button type="button" onClick={() => setWanted(true)}>Cut into tokens (loads GPT-2’s vocabulary, about 1.5 MB)</button>
        </div>
      )}
      {busy && !cuts && <p class="model-caption">Loading the vocabularies…</p>}
      {error && <p role="alert" class="model-error">{error}</p>}
      {cuts && cuts.map((c) => <Row cut={c} words={words} key={c.name} />)}
      {cuts && <p class="model-caption">␣ is a space: it belongs to the token that follows it.</p>}
    </div>
  );
}
