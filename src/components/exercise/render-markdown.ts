// Markdown + math → HTML at build time, for exercise statements, hints and quiz texts: the same
// unified pipeline (remark-math, rehype-katex) the chapters use, so math looks the same everywhere.
import { unified, type MarkdownRenderer } from '@astrojs/markdown-remark';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';

let renderer: Promise<MarkdownRenderer> | undefined;

export async function markdownToHtml(markdown: string): Promise<string> {
  renderer ??= unified({ remarkPlugins: [remarkMath], rehypePlugins: [rehypeKatex] }).createRenderer({ syntaxHighlight: 'shiki' });
  return (await (await renderer).render(markdown)).code;
}

/** One paragraph's worth of Markdown (a hint, a choice) without the wrapping <p>. */
export async function inlineMarkdownToHtml(markdown: string): Promise<string> {
  const html = (await markdownToHtml(markdown)).trim();
  const m = /^<p>([\s\S]*)<\/p>$/.exec(html);
  return m && !m[1]!.includes('<p>') ? m[1]! : html;
}
