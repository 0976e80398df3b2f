// @ts-check
import { defineConfig } from 'astro/config';
import { unified } from '@astrojs/markdown-remark';
import starlight from '@astrojs/starlight';
import preact from '@astrojs/preact';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { remarkCodeCells } from './src/components/cell/code-cells-mdx.ts';
import { engineDtsPlugin } from './scripts/engine-dts.mjs';
import { offlineBook } from './scripts/offline-sw.mjs';
import { EMBEDS } from './src/components/embed/registry.ts';

// The book's four parts in reading order, with every chapter's slug. A slug is listed
// once its page exists, so a chapter joins the sidebar, and previous/next, by being written.
const PARTS = [
  { label: 'I. Sequences', slugs: ['sequences', 'rnn', 'lstm-gru'] },
  { label: 'II. Attention', slugs: ['attention-pooling', 'attention-scoring', 'self-attention', 'positional-encoding', 'transformer'] },
  { label: 'III. Pretrained Transformers', slugs: ['bert', 't5', 'gpt'] },
  { label: 'IV. After pretraining', slugs: ['rlhf', 'distillation', 'beyond-text'] },
];
/** @param {string} slug */
const written = (slug) => existsSync(new URL(`./src/content/docs/${slug}.mdx`, import.meta.url));
const bookParts = PARTS.map(({ label, slugs }) => ({ label, items: slugs.filter(written) })).filter((p) => p.items.length);

const codeCellComponent = fileURLToPath(new URL('./src/components/CodeCell.astro', import.meta.url));

// Math is rendered to HTML at build time by rehype-katex (no client JS); its CSS is imported from
// the katex package that rehype-katex itself resolves, so markup and styles always match.
export default defineConfig({
  site: 'https://attention-lab.example',
  markdown: {
    processor: unified({
      remarkPlugins: [remarkMath, [remarkCodeCells, { component: codeCellComponent }]],
      rehypePlugins: [rehypeKatex],
    }),
  },
  integrations: [
    starlight({
      title: 'Attention Lab',
      description:
        'An interactive textbook on sequence models and Transformers: read, run, train and grade in the browser.',
      customCss: ['katex/dist/katex.min.css', './src/styles/book.css'],
      sidebar: [
        { label: 'Start here', items: ['how-to-use', 'notation', 'engine', 'lecturers'] },
        ...bookParts,
        { label: 'Models', items: ['models'] },
        { label: 'Your work', items: ['progress', 'instructors', 'offline'] },
      ],
      lastUpdated: false,
      // Installable, and readable offline after one visit (scripts/offline-sw.mjs).
      head: [
        { tag: 'link', attrs: { rel: 'manifest', href: '/manifest.webmanifest' } },
        { tag: 'meta', attrs: { name: 'theme-color', content: '#4338ca' } },
      ],
      pagination: true,
      components: { MarkdownContent: './src/components/overrides/MarkdownContent.astro' },
      // Long lines wrap (indented under their start) instead of scrolling sideways: every line of a
      // cell is readable at once, and no code block depends on a late script to be keyboard
      // reachable as a scroll region.
      expressiveCode: { defaultProps: { wrap: true, preserveIndent: true, hangingIndent: 2 } },
    }),
    // The one island framework for the whole site (see README): small, fast, JSX.
    preact(),
    // The service worker (Workbox) and what each page needs offline; the widgets that run a model
    // are those the registry files under the Models page.
    offlineBook({ modelWidgets: Object.values(EMBEDS).filter((e) => e.chapter === 'models').map((e) => e.slug) }),
  ],
  // The editor's IntelliSense: the engine's real type declarations, generated at build time.
  vite: { plugins: [engineDtsPlugin()] },
  image: { service: { entrypoint: 'astro/assets/services/noop' } },
});
