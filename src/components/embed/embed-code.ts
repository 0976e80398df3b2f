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

/**
 * The frame a Marp slide gives a widget under its title: Marp slides are 1280×720 (16:9) or
 * 960×720 (4:3) CSS pixels; the default theme pads them by 78.5 px and its title takes about 75 px.
 * Under a title and two bullets about 300 px of height are left (pass `frame`).
 */
export const MARP_FRAMES = {
  '16:9': { width: 1120, height: 440 },
  '4:3': { width: 800, height: 440 },
} as const;

/**
 * The same widget for a Marp deck (Markdown): an <iframe> block with a fixed slide-pixel size, not
 * lazy (Marp's bespoke HTML hides the slides that are not shown, and a lazy frame there may never
 * load). No comment goes with it: Marp turns HTML comments into directives or presenter notes. It
 * must stand alone between blank lines, and the deck must allow HTML (`html: true` in Marp's
 * config, or `--html` on the command line).
 */
export function marpSnippet(options: SnippetOptions & { frame?: { width: number; height: number } }): string {
  const { width, height } = options.frame ?? MARP_FRAMES[options.aspect ?? '16:9'];
  const attrs: [string, string][] = [
    ['src', embedUrl(options)],
    ['title', `${options.title} (Attention Lab)`],
    ['width', String(width)],
    ['height', String(height)],
    ['style', 'border: 0; display: block; margin: 0 auto;'],
    ['allow', 'fullscreen'],
  ];
  return `<iframe ${attrs.map(([k, v]) => `${k}="${escapeAttribute(v)}"`).join(' ')}></iframe>`;
}
