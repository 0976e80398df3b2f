// The embed URL and the <iframe> snippet that "Copy embed code" puts on the clipboard.

/** Slide-shaped iframe sizes, in CSS pixels; the embed fills whatever size it is given. */
export const EMBED_SIZES = {
  '16:9': { width: 960, height: 540 },
  '4:3': { width: 800, height: 600 },
} as const;
export type EmbedAspect = keyof typeof EMBED_SIZES;

export type EmbedTheme = 'auto' | 'light' | 'dark';

export interface EmbedUrlOptions {
  /** Scheme + host (+ port), e.g. https://attention-lab.example */
  origin: string;
  /** The site's base path, with a trailing slash ("/" at the root). */
  base: string;
  slug: string;
  /** The widget's state as its registry entry serialises it. */
  params: URLSearchParams;
  /** 'auto' (the default) follows the viewer's colour scheme and is left out of the URL. */
  theme?: EmbedTheme;
}

export function embedUrl({ origin, base, slug, params, theme = 'auto' }: EmbedUrlOptions): string {
  const query = new URLSearchParams(params);
  if (theme !== 'auto') query.set('theme', theme);
  const path = `${base.endsWith('/') ? base : `${base}/`}embed/${slug}/`;
  const search = query.toString();
  return `${origin.replace(/\/+$/, '')}${path}${search ? `?${search}` : ''}`;
}

function escapeAttribute(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export interface SnippetOptions extends EmbedUrlOptions {
  title: string;
  aspect?: EmbedAspect;
}

/** An <iframe> for slides and pages: fixed slide size, shrinks with its container, lazy. */
export function embedSnippet(options: SnippetOptions): string {
  const { width, height } = EMBED_SIZES[options.aspect ?? '16:9'];
  const attrs: [string, string][] = [
    ['src', embedUrl(options)],
    ['title', `${options.title} (Attention Lab)`],
    ['width', String(width)],
    ['height', String(height)],
    ['style', `border: 0; max-width: 100%; aspect-ratio: ${width} / ${height}; height: auto;`],
    ['loading', 'lazy'],
    ['allow', 'fullscreen'],
  ];
  return `<iframe ${attrs.map(([k, v]) => `${k}="${escapeAttribute(v)}"`).join(' ')}></iframe>`;
}
