import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';

const dist = process.env.E2E_DIST ?? new URL('../../dist', import.meta.url).pathname;

/** The built HTML of a page path, e.g. '/engine/' → dist/engine/index.html. */
export function builtHtml(path: string): string {
  return readFileSync(`${dist}${path.endsWith('/') ? `${path}index.html` : path}`, 'utf8');
}

/** Every page path listed in the built site's sitemap (dist/ must have been built). */
export function sitemapPaths(): string[] {
  const xml = readFileSync(`${dist}/sitemap-0.xml`, 'utf8');
  const paths = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
  if (paths.length === 0) throw new Error('sitemap lists no pages: was the site built?');
  return paths;
}

/** Collects console errors, uncaught exceptions and failed or 4xx/5xx requests of a page. */
export function watchForProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  page.on('requestfailed', (req) =>
    problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`),
  );
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return problems;
}
