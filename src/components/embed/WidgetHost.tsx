// Hosts one registered widget. In a chapter ('page') it adds "Copy embed code"; on an embed page
// ('embed') it fills the viewport, reads its state from the URL and writes it back as it changes.
import type { ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { CopyEmbedCode } from './CopyEmbedCode.tsx';
import { useFitToFrame } from './fit-frame.ts';
import { embedEntry, type WidgetProps } from './registry.ts';
import './compact.css';

interface Props {
  /** A slug from the registry. */
  widget: string;
  mode: 'page' | 'embed';
}

/** Browsers throttle history updates (Safari throws past ~100 in 30 s): write after a pause. */
const URL_WRITE_DELAY_MS = 150;

function initialState(mode: Props['mode'], parse: (p: URLSearchParams) => unknown, defaults: unknown): unknown {
  return mode === 'embed' && typeof location !== 'undefined' ? parse(new URLSearchParams(location.search)) : defaults;
}

export default function WidgetHost({ widget, mode }: Props) {
  const entry = embedEntry(widget);
  const [Widget, setWidget] = useState<ComponentType<WidgetProps<unknown>> | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [state, setState] = useState<unknown>(() => initialState(mode, entry.parse, entry.defaults));
  const urlTimer = useRef<ReturnType<typeof setTimeout>>();
  const frame = useRef<HTMLDivElement>(null);
  const scale = useFitToFrame(frame, mode === 'embed');

  useEffect(() => {
    entry.load().then(
      (component) => setWidget(() => component),
      (e: unknown) => setLoadError(e instanceof Error ? e.message : String(e)),
    );
  }, [entry]);

  // Embed pages keep the URL equal to the state (other parameters, like theme, are kept).
  useEffect(() => {
    if (mode !== 'embed') return;
    clearTimeout(urlTimer.current);
    urlTimer.current = setTimeout(() => {
      const query = new URLSearchParams(location.search);
      entry.serialize(state).forEach((value, key) => query.set(key, value));
      const next = `${location.pathname}?${query}${location.hash}`;
      if (next !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(history.state, '', next);
    }, URL_WRITE_DELAY_MS);
    return () => clearTimeout(urlTimer.current);
  }, [mode, entry, state]);

  const body = loadError ? (
    <p role="alert" class="widget-host-error">
      This widget could not be loaded ({loadError}). Reload the page to try again.
    </p>
  ) : Widget ? (
    <Widget state={state} onStateChange={setState} layout={mode === 'embed' ? 'slide' : 'page'} />
  ) : (
    <p class="widget-host-loading">Loading the widget…</p>
  );

  if (mode === 'embed') {
    // Scaled only when the widget's own (compact) layout still does not fit the frame.
    const fit = scale < 1 ? { width: `${100 / scale}%`, height: `${100 / scale}%`, transform: `scale(${scale})`, transformOrigin: '0 0' } : undefined;
    return (
      <div class="widget-host widget-host-embed" ref={frame} data-scale={scale}>
        <div class="widget-fit" style={fit}>
          {body}
        </div>
      </div>
    );
  }
  return (
    <div class="widget-host widget-host-page">
      {body}
      <CopyEmbedCode slug={entry.slug} title={entry.title} params={entry.serialize(state)} />
    </div>
  );
}
