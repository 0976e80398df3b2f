// The book offline after one visit, and a clean update: a reader opens a chapter (and its model
// widget) once, loses the network, reloads — the chapter renders with its math, a cell runs, the
// model widget answers, search finds a word; then a new build is published and the page says so,
// and the reader's saved edit survives the reload into the new build. The built site is served by
// a server of the test's own, so that a second build can be published at the same address.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { writeOfflineBook } from '../../scripts/offline-sw.mjs';
import { EMBEDS } from '../../src/components/embed/registry.ts';
import { cell, replaceCode, runCell } from './cells';
import { startStaticServer, type StaticServer } from './fixtures/static-server';

test.use({ serviceWorkers: 'allow' });

const dist = process.env.E2E_DIST ?? new URL('../../dist', import.meta.url).pathname;
const CHAPTER = '/attention-scoring/';
const NOTE = '// read on the train';

let server: StaticServer;
let nextBuild: string;

test.beforeAll(async () => {
  server = await startStaticServer(dist);
});
test.afterAll(async () => {
  await server?.close();
  if (nextBuild) rmSync(nextBuild, { recursive: true, force: true });
});

/** Waits until the service worker controls the page and has kept what the page needs. */
async function keptOffline(page: Page, path: string): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  await expect
    .poll(
      () =>
        page.evaluate(async (p) => {
          const m = await (await fetch('/offline-manifest.json')).json();
          const page = m.pages[p];
          const urls: string[] = page.files.map((i: number) => m.files[i][0]);
          const present = await Promise.all(urls.map(async (u) => (await caches.match(u, { ignoreSearch: true })) !== undefined));
          return present.filter((x) => !x).length;
        }, path),
      { timeout: 60_000, message: `files of ${path} not yet cached` },
    )
    .toBe(0);
}

test('after one visit the book reads, runs, answers and searches offline; a new build asks to reload and keeps saved edits', async ({ page, context }) => {
  test.setTimeout(300_000);
  const url = (p: string) => `${server.origin}${p}`;

  // One visit, online: the chapter, its model widget, an edit of a cell (which opens the editor).
  await page.goto(url(CHAPTER));
  await keptOffline(page, CHAPTER);
  const model = page.locator('.widget-frame[data-widget="date-seq2seq"]');
  await model.scrollIntoViewIfNeeded();
  await expect(model.locator('[data-widget-ready="true"]')).toBeVisible({ timeout: 60_000 });
  await replaceCode(page, 'scoring-functions', `${NOTE}\nconsole.log('offline ok');\n`);
  await page.waitForTimeout(800); // saves are debounced
  expect(await runCell(page, 'scoring-functions')).toBe('ok');
  await expect(page.locator('header').getByRole('button', { name: 'Search' }).first()).toBeVisible();

  // No network: the browser is offline, and the server would not answer anyway.
  await context.setOffline(true);
  server.setReachable(false);
  await page.reload();
  await expect(page.locator('h1')).toHaveText(/Attention scor/);
  await expect(page.locator('.katex').first()).toBeVisible();
  const styled = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
  expect(styled).not.toBe('');
  await expect(cell(page, 'scoring-functions').locator('.cell-plain')).toContainText(NOTE);
  expect(await runCell(page, 'scoring-functions')).toBe('ok');
  await expect(cell(page, 'scoring-functions').locator('.cell-output')).toHaveText('offline ok');
  // A cell the reader never ran offline, with the book's own code.
  expect(await runCell(page, 'variance')).toBe('ok');

  await model.scrollIntoViewIfNeeded();
  await expect(model.locator('[data-widget-ready="true"]')).toBeVisible({ timeout: 60_000 });
  await model.getByLabel(/A date/).fill('July 4, 1976');
  await expect(model.getByTestId('iso-date')).toHaveText('1976-07-04');

  await page.getByRole('button', { name: 'Search' }).first().click();
  await page.getByPlaceholder(/search/i).fill('bandwidth');
  await expect(page.locator('.pagefind-ui__result-link').first()).toBeVisible({ timeout: 20_000 });
  await page.keyboard.press('Escape');

  // A page never opened: the offline page says what is available.
  await page.goto(url('/transformer/')).catch(() => undefined);
  await expect(page.locator('h1')).toHaveText('Reading offline');

  // Back online, a new build is published at the same address (one chapter changed).
  await context.setOffline(false);
  server.setReachable(true);
  nextBuild = mkdtempSync(join(tmpdir(), 'attention-lab-next-build-'));
  cpSync(dist, nextBuild, { recursive: true });
  const chapterFile = join(nextBuild, CHAPTER, 'index.html');
  writeFileSync(chapterFile, readFileSync(chapterFile, 'utf8').replace('</h1>', ' (new edition)</h1>'));
  await writeOfflineBook(nextBuild, { modelWidgets: Object.values(EMBEDS).filter((e) => e.chapter === 'models').map((e) => e.slug) });
  expect(readFileSync(join(nextBuild, 'sw.js'), 'utf8')).not.toBe(readFileSync(join(dist, 'sw.js'), 'utf8'));
  server.setRoot(nextBuild);

  await page.goto(url(CHAPTER));
  const notice = page.getByRole('status').filter({ hasText: 'The book was updated.' });
  await expect(notice).toBeVisible({ timeout: 30_000 });
  await notice.getByRole('button', { name: 'Reload' }).click();
  await expect(page.locator('h1')).toHaveText(/\(new edition\)/, { timeout: 30_000 });
  await expect(notice).toHaveCount(0);
  await expect(cell(page, 'scoring-functions').locator('.cell-plain')).toContainText(NOTE);
  const active = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.scriptURL);
  expect(active).toContain('/sw.js');
});

test('"Reading offline" shows the size first, then keeps a whole part with progress', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(`${server.origin}/offline/`);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  await page.reload();
  const part = page.locator('section.offline-part[data-part="I. Sequences"]');
  await expect(part.locator('li')).not.toHaveCount(0);
  await expect(part.locator('li[data-offline="no"]').first()).toBeVisible();
  // Without the editor and models, so the download stays small.
  await page.getByLabel(/Also keep the code editor/).uncheck();
  const button = part.getByRole('button', { name: /Make this part available offline \(\d+(\.\d)? (KB|MB)\)/ });
  await expect(button).toBeVisible();
  await button.click();
  await expect(part.getByRole('status')).toHaveText('Done: this part is available offline.', { timeout: 120_000 });
  await expect(part.locator('li[data-offline="no"]')).toHaveCount(0);
});
