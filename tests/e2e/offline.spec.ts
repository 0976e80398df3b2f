// The book offline after one visit, and a clean update: a reader opens a chapter (and its model
// widget) once, loses the network, reloads — the chapter renders with its math, a cell runs, the
// model widget answers, search finds a word; then a new build is published and the page says so,
// and the reader's saved edit survives the reload into the new build; a chapter kept under the
// old build is kept again for the new one (whose shared stylesheet and scripts have new names) and
// reads whole offline, and the old build's files are let go. The built site is served by a server
// of the test's own, so that a second build can be published at the same address.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
/** A second page, kept under the first build and read offline after the update. */
const KEPT = '/rnn/';
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

  // One visit, online: another chapter, then this one with its model widget and an edit of a cell
  // (which opens the editor).
  await page.goto(url(KEPT));
  await keptOffline(page, KEPT);
  await page.goto(url(CHAPTER));
  await keptOffline(page, CHAPTER);
  // As "Reading offline" keeps a page: a script of a page the worker controls fetches it. (The
  // worker once answered such a fetch from a cache of its own, so the page was kept again as the
  // old build's copy after the update.)
  expect(await page.evaluate(async (p) => (await fetch(p)).ok, KEPT)).toBe(true);
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
  // The new build renames, as after any change to the book's code or CSS, the shared stylesheet
  // (precached by the old worker, dropped with its precache) and a script of the kept chapter
  // only (kept in the assets cache at the first visit; the old name must go from there).
  const oldCss = readFileSync(chapterFile, 'utf8').match(/\/_astro\/[^"]+\.css/)![0];
  const newCss = oldCss.replace(/\.css$/, '-next.css');
  const firstManifest = JSON.parse(readFileSync(join(dist, 'offline-manifest.json'), 'utf8'));
  const firstSw = readFileSync(join(dist, 'sw.js'), 'utf8');
  const oldJs = (firstManifest.pages[KEPT].files as number[])
    .map((i) => firstManifest.files[i][0] as string)
    .find((u) => u.endsWith('.js') && !firstSw.includes(`"${u.slice(1)}"`))!;
  expect(oldJs, `a script of ${KEPT} that is not precached`).toBeTruthy();
  const newJs = oldJs.replace(/\.js$/, '-next.js');
  const renames: [string, string][] = [
    [oldCss, newCss],
    [oldJs, newJs],
  ];
  for (const [from, to] of renames) {
    cpSync(join(nextBuild, from), join(nextBuild, to));
    rmSync(join(nextBuild, from));
  }
  // Pages name them from the root, scripts by their file name alone ('./x.js').
  const base = (u: string) => u.slice('/_astro/'.length);
  for (const f of readdirSync(nextBuild, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(html|js|css)$/.test(f))) {
    const before = readFileSync(join(nextBuild, f), 'utf8');
    const after = renames.reduce((t, [from, to]) => t.replaceAll(base(from), base(to)), before);
    if (after !== before) writeFileSync(join(nextBuild, f), after);
  }
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

  // The page kept under the old build is kept again for the new one, with the new build's files,
  // so it still opens whole offline (the old build's shared stylesheet is gone with its precache).
  await expect
    .poll(
      () =>
        page.evaluate(
          async ([p, css, js]) => {
            const html = await (await (await caches.open('attention-lab-pages-v1')).match(p!))?.text();
            return (html?.includes(css!) ?? false) && (await caches.match(js!)) !== undefined;
          },
          [KEPT, newCss, newJs],
        ),
      { timeout: 60_000, message: `${KEPT} kept again with ${newCss} and ${newJs}` },
    )
    .toBe(true);
  // What the old build left is let go: its assets, and no page is kept twice (in the misc cache).
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const m = await (await fetch('/offline-manifest.json')).json();
          const current = new Set<string>([...m.files.map((f: [string, number]) => f[0]), ...m.assets]);
          const assets = await (await caches.open('attention-lab-assets-v1')).keys();
          const misc = (await caches.has('attention-lab-misc-v1')) ? await (await caches.open('attention-lab-misc-v1')).keys() : [];
          return [
            ...assets.map((r) => new URL(r.url).pathname).filter((u) => !current.has(u)),
            ...misc.map((r) => new URL(r.url).pathname).filter((u) => u.endsWith('/') || u.endsWith('.html')),
          ];
        }),
      { timeout: 30_000, message: "the old build's assets and page copies left in the caches" },
    )
    .toEqual([]);
  expect(await page.evaluate((js) => caches.match(js).then((r) => r !== undefined), oldJs)).toBe(false);

  await context.setOffline(true);
  server.setReachable(false);
  const failed: string[] = [];
  page.on('requestfailed', (r) => void (new URL(r.url()).pathname.startsWith('/_astro/') && failed.push(r.url())));
  await page.goto(url(KEPT));
  await expect(page.locator('h1')).toHaveText(/Recurrent/);
  const sheets = await page.evaluate(() => [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].map((l) => [l.href, l.sheet !== null]));
  expect(sheets.map(([href]) => href).join(' ')).toContain(newCss);
  expect(sheets.filter(([, loaded]) => !loaded), 'stylesheets that did not load offline').toEqual([]);
  await page.waitForLoadState('load');
  expect(failed, 'build assets that failed offline').toEqual([]);
  await context.setOffline(false);
  server.setReachable(true);
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
