// "Copy embed code": the <iframe> for the widget as it is now (state in the URL), for slides and
// other pages, or the same frame sized for a Marp slide. The snippet also appears in a text box, for
// when the clipboard is not available.
import { useId, useState } from 'preact/hooks';
import { EMBED_SIZES, MARP_FRAMES, embedSnippet, marpSnippet, type EmbedAspect, type EmbedTheme } from './embed-code.ts';

interface Props {
  slug: string;
  title: string;
  params: URLSearchParams;
}

type CopyStatus = 'idle' | 'copied' | 'manual';
/** 'iframe': any web page or reveal.js slide; 'marp': a Markdown slide of a Marp deck. */
type EmbedForm = 'iframe' | 'marp';

export function CopyEmbedCode({ slug, title, params }: Props) {
  const id = useId();
  const [aspect, setAspect] = useState<EmbedAspect>('16:9');
  const [theme, setTheme] = useState<EmbedTheme>('auto');
  const [form, setForm] = useState<EmbedForm>('iframe');
  const [status, setStatus] = useState<CopyStatus>('idle');
  const sizes = form === 'marp' ? MARP_FRAMES : EMBED_SIZES;
  const snippet =
    typeof location === 'undefined'
      ? ''
      : (form === 'marp' ? marpSnippet : embedSnippet)({ origin: location.origin, base: import.meta.env.BASE_URL, slug, params, theme, title, aspect });

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(snippet);
      setStatus('copied');
    } catch {
      // No clipboard (insecure origin, permission refused): the text box below is selected instead.
      setStatus('manual');
      requestAnimationFrame(() => (document.getElementById(`${id}-code`) as HTMLTextAreaElement | null)?.select());
    }
  };

  return (
    <div class="embed-code">
      <div class="embed-code-row">
        <button type="button" class="embed-code-copy" onClick={copy}>
          Copy embed code
        </button>
        <label>
          For{' '}
          <select value={form} onChange={(e) => setForm(e.currentTarget.value as EmbedForm)}>
            <option value="iframe">a web page or reveal.js</option>
            <option value="marp">a Marp slide</option>
          </select>
        </label>
        <label>
          Size{' '}
          <select value={aspect} onChange={(e) => setAspect(e.currentTarget.value as EmbedAspect)}>
            {(Object.keys(EMBED_SIZES) as EmbedAspect[]).map((a) => (
              <option key={a} value={a}>
                {a} ({sizes[a].width}×{sizes[a].height})
              </option>
            ))}
          </select>
        </label>
        <label>
          Theme{' '}
          <select value={theme} onChange={(e) => setTheme(e.currentTarget.value as EmbedTheme)}>
            <option value="auto">viewer's setting</option>
            <option value="light">light</option>
            <option value="dark">dark</option>
          </select>
        </label>
        <span role="status" class="embed-code-status">
          {status === 'copied' ? 'Copied to the clipboard.' : status === 'manual' ? 'Press Ctrl+C (⌘C) to copy the selected code.' : ''}
        </span>
      </div>
      {form === 'marp' && (
        <p class="embed-code-note">
          For Marp: paste it on a line of its own, with a blank line above and below, and turn HTML on (<code>html: true</code> in the
          Marp config, or <code>marp --html</code>).
        </p>
      )}
      {status !== 'idle' && (
        <div class="embed-code-box">
          <label for={`${id}-code`}>Embed code (the widget's current settings are in its URL)</label>
          <textarea id={`${id}-code`} readOnly rows={4} value={snippet} onFocus={(e) => e.currentTarget.select()} />
        </div>
      )}
    </div>
  );
}
