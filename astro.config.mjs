// @ts-check
import { defineConfig } from 'astro/config';
import { unified } from '@astrojs/markdown-remark';
import starlight from '@astrojs/starlight';
import preact from '@astrojs/preact';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import { fileURLToPath } from 'node:url';
import { remarkCodeCells } from './src/components/cell/code-cells-mdx.ts';
import { engineDtsPlugin } from './scripts/engine-dts.mjs';

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
        { label: 'Start here', items: ['how-to-use', 'engine', 'lecturers'] },
        { label: 'Attention', items: ['attention-pooling'] },
        { label: 'Models', items: ['models'] },
        { label: 'Your work', items: ['progress', 'instructors'] },
      ],
      lastUpdated: false,
      pagination: true,
      components: { MarkdownContent: './src/components/overrides/MarkdownContent.astro' },
      // Long lines wrap (indented under their start) instead of scrolling sideways: every line of a
      // cell is readable at once, and no code block depends on a late script to be keyboard
      // reachable as a scroll region.
      expressiveCode: { defaultProps: { wrap: true, preserveIndent: true, hangingIndent: 2 } },
    }),
    // The one island framework for the whole site (see README): small, fast, JSX.
    preact(),
  ],
  // The editor's IntelliSense: the engine's real type declarations, generated at build time.
  vite: { plugins: [engineDtsPlugin()] },
  image: { service: { entrypoint: 'astro/assets/services/noop' } },
});
