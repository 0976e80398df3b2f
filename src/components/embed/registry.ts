// Every widget that can be embedded on its own at /embed/<slug>/ (slides, other sites) and shown
// in a chapter with <Widget name="<slug>" />. Adding a widget = one entry here. The entry holds
// only metadata, the URL codec and a lazy loader, so importing the registry costs no widget code.
import type { ComponentType } from 'preact';
import * as attentionPooling from '../widgets/attention-pooling/state.ts';

/** What a widget component receives. It is controlled: the host owns the state. */
export interface WidgetProps<S> {
  state: S;
  onStateChange: (state: S) => void;
  /** 'page': inside a chapter column; 'slide': fills the viewport with large type. */
  layout: 'page' | 'slide';
}

export interface EmbedEntry<S> {
  slug: string;
  /** Names the iframe (its title attribute) and the embed page. */
  title: string;
  description: string;
  /** Slug of the chapter that explains the widget (the embed links to it). */
  chapter: string;
  defaults: S;
  /** Reads the state from the embed URL's query; must accept anything (bad values → defaults). */
  parse: (params: URLSearchParams) => S;
  serialize: (state: S) => URLSearchParams;
  load: () => Promise<ComponentType<WidgetProps<S>>>;
}

function entry<S>(e: EmbedEntry<S>): EmbedEntry<S> {
  return e;
}

export const EMBEDS = {
  'attention-pooling': entry({
    slug: 'attention-pooling',
    title: 'Attention pooling: kernel and bandwidth',
    description:
      'Nadaraya–Watson kernel regression as attention pooling: choose a kernel and a bandwidth σ and watch the fitted curve and the attention weights change.',
    chapter: 'attention-pooling',
    defaults: attentionPooling.DEFAULT_STATE,
    parse: attentionPooling.parseState,
    serialize: attentionPooling.serializeState,
    load: () => import('../widgets/attention-pooling/AttentionPooling.tsx').then((m) => m.default),
  }),
};

export type EmbedSlug = keyof typeof EMBEDS;

export function isEmbedSlug(name: string): name is EmbedSlug {
  return Object.hasOwn(EMBEDS, name);
}

/** The entry for a slug, or an error that lists the slugs that exist. */
export function embedEntry(name: string): EmbedEntry<unknown> {
  if (!isEmbedSlug(name)) {
    throw new Error(`No embeddable widget "${name}". Known widgets: ${Object.keys(EMBEDS).join(', ')} (src/components/embed/registry.ts).`);
  }
  return EMBEDS[name] as unknown as EmbedEntry<unknown>;
}
